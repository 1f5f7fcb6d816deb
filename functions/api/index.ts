/// <reference lib="deno.ns" />
// The Seaplane API as a Supabase edge function (Deno): every contract endpoint, served by the
// same runtime-neutral app as the Node server. It does its own API-key auth, so config.toml sets
// verify_jwt = false. PORT is for running it outside Supabase (tests, `deno run`); on Supabase
// the runtime decides where Deno.serve listens.
import { createEdgeApp, listenOptions, stripFunctionPrefix } from '../_shared/edge.ts';

const env = Deno.env.toObject();
const { app } = await createEdgeApp(env);

Deno.serve(listenOptions(env, 'api'), stripFunctionPrefix('api', app.fetch));
