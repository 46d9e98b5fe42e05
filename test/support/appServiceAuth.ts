/**
 * App Service authentication in front of the local host, as Azure puts it in front of the app: it validates the
 * Entra ID bearer token (signature, issuer, audience, expiry), answers 401 without a valid one before the app sees
 * anything, strips any principal header the caller sent and sets `x-ms-client-principal` from the token's claims.
 * Tokens come from `TestEntraId`, a stand-in for Entra ID with its own signing key.
 */
import type { AccessToken, GetTokenOptions, TokenCredential } from '@azure/core-auth';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { principalHeader } from '../security/principal';

export const TEST_ISSUER = 'https://login.microsoftonline.com/00000000-0000-0000-0000-00000000aaaa/v2.0';

export interface TestUser {
  upn: string;
  objectId: string;
  roles: string[];
}

/** Issues signed tokens for a signed-in user, as DefaultAzureCredential would get them from Entra ID. */
export class TestEntraId {
  readonly key = randomBytes(32);
  /** Every scope a token was asked for, in order. */
  readonly scopes: string[] = [];

  credential(user: TestUser): TokenCredential {
    return {
      getToken: async (scopes: string | string[], _options?: GetTokenOptions): Promise<AccessToken> => {
        const scope = Array.isArray(scopes) ? scopes[0]! : scopes;
        this.scopes.push(scope);
        const expiresOnTimestamp = Date.now() + 3_600_000;
        // jose is an ES module: loaded with import(), as a CommonJS project must.
        const { SignJWT } = await import('jose');
        const token = await new SignJWT({ oid: user.objectId, preferred_username: user.upn, roles: user.roles })
          .setProtectedHeader({ alg: 'HS256' })
          .setIssuer(TEST_ISSUER)
          .setAudience(scope.replace(/\/\.default$/, ''))
          .setIssuedAt()
          .setExpirationTime(Math.floor(expiresOnTimestamp / 1000))
          .sign(this.key);
        return { token, expiresOnTimestamp };
      },
    };
  }
}

export interface RunningAuthFront {
  origin: string;
  close(): Promise<void>;
}

export async function startAppServiceAuth(entra: TestEntraId, audience: string, appOrigin: string): Promise<RunningAuthFront> {
  const app = new URL(appOrigin);
  const server: Server = createServer((req, res) => {
    void (async () => {
      const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      let claims: { oid?: unknown; preferred_username?: unknown; roles?: unknown } | undefined;
      try {
        const { jwtVerify } = await import('jose');
        claims = bearer ? ((await jwtVerify(bearer, entra.key, { issuer: TEST_ISSUER, audience })).payload as typeof claims) : undefined;
      } catch {
        claims = undefined;
      }
      if (!claims) {
        res.writeHead(401, { 'Content-Type': 'application/json', 'WWW-Authenticate': 'Bearer' });
        res.end(JSON.stringify({ error: { code: 'Unauthenticated', message: 'a valid Entra ID token for this app is required' } }));
        return;
      }
      const headers = { ...req.headers };
      for (const name of Object.keys(headers)) if (name.startsWith('x-ms-client-principal')) delete headers[name];
      delete headers.authorization;
      headers['x-ms-client-principal'] = principalHeader({
        upn: String(claims.preferred_username),
        objectId: String(claims.oid),
        roles: Array.isArray(claims.roles) ? claims.roles.map(String) : [],
      });
      headers.host = app.host;
      const upstream = httpRequest({ host: app.hostname, port: app.port, path: req.url, method: req.method, headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      upstream.on('error', () => {
        res.writeHead(502);
        res.end();
      });
      req.pipe(upstream);
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
