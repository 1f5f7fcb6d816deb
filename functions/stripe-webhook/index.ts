/// <reference lib="deno.ns" />
// Stripe's webhook endpoint as its own edge function, so Stripe (which has no Seaplane key and no
// Supabase JWT) reaches it with verify_jwt = false and its own secret (STRIPE_WEBHOOK_SECRET).
// It mounts the same app as the API function and sends every request to the app's
// POST /v1/stripe/webhook route (src/api/routes/stripe.ts), which verifies the signature and
// writes the event to the inbox. Without STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET the route
// is not registered and every call is a 404.
import { createEdgeApp, listenOptions } from '../_shared/edge.ts';

const env = Deno.env.toObject();
const { app } = await createEdgeApp(env);

Deno.serve(listenOptions(env, 'stripe-webhook'), (req) => {
  const url = new URL(req.url);
  url.pathname = '/v1/stripe/webhook';
  return app.fetch(new Request(url, req));
});
