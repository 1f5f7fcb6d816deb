// Serves stored artifacts: GET /files/<generation id>/<attempt id>/<n>.<ext>. Keys are unguessable UUID paths
// (like a public bucket); anything that is not a valid key is 404 before storage is touched.
import type { Hono } from 'hono';
import type { AppDeps, AppEnv } from '../deps.ts';
import { ApiError } from '../errors.ts';
import { ARTIFACT_KEY } from '../../storage/types.ts';

export function registerFiles(app: Hono<AppEnv>, deps: AppDeps): void {
  app.get('/files/:generation/:attempt/:file', async (c) => {
    const key = `${c.req.param('generation')}/${c.req.param('attempt')}/${c.req.param('file')}`;
    const file = ARTIFACT_KEY.test(key) ? await deps.store.get(key) : null;
    if (!file) throw new ApiError('route_not_found', { message: 'No such file.' });
    return c.body(file.data as Uint8Array<ArrayBuffer>, 200, {
      'Content-Type': file.content_type,
      'Content-Length': String(file.data.byteLength),
      'Cache-Control': 'private, max-age=3600',
    });
  });
}
