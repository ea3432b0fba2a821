/**
 * Turning client failures into cnibench errors. client-node 2.x sends requests through undici's fetch,
 * whose failures arrive as `TypeError: fetch failed` with undici's own error (and its code) as the
 * cause; these errors are produced by real undici requests, not built by hand.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { once } from 'node:events';
import { Agent, fetch } from 'undici';
import { translateError } from '../../../src/cluster/kube/client.js';
import { EnvironmentError } from '../../../src/util/errors.js';

const conn = { server: 'https://127.0.0.1:1', context: 'ctx' };

/** A TCP server that accepts connections and never speaks: a TLS handshake against it cannot finish. */
async function silentServer(): Promise<{ port: number; close: () => Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    close: async () => {
      for (const s of sockets) s.destroy();
      server.close();
      await once(server, 'close');
    },
  };
}

async function failedFetch(url: string, dispatcher: Agent): Promise<unknown> {
  try {
    await fetch(url, { dispatcher });
  } catch (err) {
    return err;
  } finally {
    await dispatcher.close();
  }
  assert.fail(`fetch ${url} succeeded`);
}

test('an undici connect timeout is "cannot reach the API server" (exit 3)', async () => {
  const srv = await silentServer();
  try {
    const err = await failedFetch(
      `https://127.0.0.1:${srv.port}/version`,
      new Agent({ connectTimeout: 200 }),
    );
    const out = translateError(conn, 'read the server version', err);
    assert.ok(out instanceof EnvironmentError, String(out));
    assert.equal(out.exitCode, 3);
    assert.match(out.message, /cannot reach the Kubernetes API server at https:\/\/127\.0\.0\.1:1/);
    assert.match(out.message, /UND_ERR_CONNECT_TIMEOUT/);
  } finally {
    await srv.close();
  }
});

test('a refused connection through undici is exit 3 too', async () => {
  const srv = await silentServer();
  const port = srv.port;
  await srv.close();
  const err = await failedFetch(`http://127.0.0.1:${port}/version`, new Agent());
  const out = translateError(conn, 'list nodes', err);
  assert.ok(out instanceof EnvironmentError);
  assert.match(out.message, /ECONNREFUSED/);
  assert.match(out.message, /while trying to list nodes/);
});

test('an undici headers timeout (server accepts, never answers) is exit 3', async () => {
  const srv = await silentServer();
  try {
    const err = await failedFetch(`http://127.0.0.1:${srv.port}/version`, new Agent({ headersTimeout: 200 }));
    const out = translateError(conn, 'read the server version', err);
    assert.ok(out instanceof EnvironmentError);
    assert.match(out.message, /UND_ERR_HEADERS_TIMEOUT/);
  } finally {
    await srv.close();
  }
});
