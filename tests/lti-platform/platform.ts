// A small LTI 1.3 platform (an LMS stand-in) for tests: an HTTP server with its own RSA keys, an
// OIDC authorization endpoint, a token endpoint that checks the tool's signed client assertion,
// AGS line items and scores, NRPS memberships with Link rel="next" paging, Dynamic Registration
// endpoints, a course page that starts launches, and a switch that makes its services answer 503.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import {
  createLocalJWKSet,
  exportJWK,
  generateKeyPair,
  jwtVerify,
  SignJWT,
  type JSONWebKeySet,
  type JWK,
  type JWTPayload,
} from 'jose';

export const LTI = 'https://purl.imsglobal.org/spec/lti/claim/';

export interface ReceivedScore {
  lineItem: string;
  body: {
    userId: string;
    scoreGiven: number;
    scoreMaximum: number;
    activityProgress: string;
    gradingProgress: string;
    timestamp: string;
  };
  contentType: string | undefined;
  receivedAt: number;
}

export interface Member {
  user_id: string;
  roles: string[];
  name?: string;
  email?: string;
  status?: string;
}

export interface PlatformOptions {
  host?: string;
  clientId?: string;
  deploymentId?: string;
  /** Where the tool publishes its keys (checked at the token endpoint); or a function for in-process tests. */
  toolJwks?: string | (() => Promise<JSONWebKeySet>);
  /** Members per NRPS page. */
  pageSize?: number;
}

interface KeyPair {
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

async function newKey(): Promise<KeyPair> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const kid = randomUUID();
  return { kid, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' } };
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

const escapeHtml = (value: string) => value.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

export class TestPlatform {
  readonly clientId: string;
  readonly deploymentId: string;
  issuer = '';
  /** Scores the tool posted, in arrival order. */
  readonly scores: ReceivedScore[] = [];
  /** Requests refused while failing. */
  refusedWhileFailing = 0;
  tokenRequests = 0;
  lineItems = new Map<
    string,
    { id: string; label: string; scoreMaximum: number; resourceId?: string; resourceLinkId?: string }
  >();
  members: Member[] = [];
  /** Launch claims waiting for their login, by login_hint. */
  readonly pendingLaunches = new Map<string, Record<string, unknown>>();
  /** Registrations received through Dynamic Registration. */
  readonly registrations: Record<string, unknown>[] = [];
  /** Answer 503 to token, score, line item and membership requests while set. */
  failing = false;
  /** Deep linking responses the tool posted back, verified. */
  readonly deepLinkResponses: JWTPayload[] = [];
  private keys: KeyPair[] = [];
  private server: Server | null = null;
  private tokens = new Set<string>();
  private readonly options: PlatformOptions;

  constructor(options: PlatformOptions = {}) {
    this.options = options;
    this.clientId = options.clientId ?? 'autodidact-test-client';
    this.deploymentId = options.deploymentId ?? 'deployment-1';
  }

  get authUrl() {
    return `${this.issuer}/auth`;
  }
  get tokenUrl() {
    return `${this.issuer}/token`;
  }
  get jwksUrl() {
    return `${this.issuer}/jwks`;
  }
  get lineItemsUrl() {
    return `${this.issuer}/lineitems`;
  }
  get membershipsUrl() {
    return `${this.issuer}/memberships`;
  }

  async start(port = 0): Promise<this> {
    this.keys = [await newKey()];
    const host = this.options.host ?? '127.0.0.1';
    this.server = createServer((request, response) => {
      this.route(request, response).catch((error: unknown) => {
        response.writeHead(500, { 'content-type': 'text/plain' });
        response.end(String(error));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(port, host, resolve));
    const address = this.server.address() as AddressInfo;
    this.issuer = `http://${host}:${address.port}`;
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** A new signing key; the old one is dropped from the JWKS (as after a platform's rotation). */
  async rotateKeys(): Promise<void> {
    this.keys = [await newKey()];
  }

  get kid(): string {
    return this.keys[0]!.kid;
  }

  /** Registration arguments for the tool's `addPlatform`. */
  registration(name = 'Test LMS') {
    return {
      issuer: this.issuer,
      clientId: this.clientId,
      deploymentId: this.deploymentId,
      authUrl: this.authUrl,
      tokenUrl: this.tokenUrl,
      jwksUrl: this.jwksUrl,
      name,
    };
  }

  /** Standard resource link claims for `sub`; `overrides` replace or add claims (undefined removes one). */
  resourceLinkClaims(
    sub: string | undefined,
    {
      roles = ['http://purl.imsglobal.org/vocab/lis/v2/membership#Learner'],
      lesson = 'chain-rule-computational-graphs',
      toolBase = 'http://localhost:3000',
      contextId = 'course-1',
      resourceLinkId = 'link-1',
      name = 'Ada Learner',
      lineItem = `${this.lineItemsUrl}/item-1`,
    }: {
      roles?: string[];
      lesson?: string;
      toolBase?: string;
      contextId?: string;
      resourceLinkId?: string;
      name?: string;
      lineItem?: string | null;
    } = {},
  ): Record<string, unknown> {
    if (lineItem && !this.lineItems.has(lineItem)) {
      this.lineItems.set(lineItem, { id: lineItem, label: 'Chain rule', scoreMaximum: 6, resourceLinkId });
    }
    return {
      ...(sub !== undefined ? { sub } : {}),
      name,
      email: `${sub ?? 'nobody'}@school.example`,
      [`${LTI}message_type`]: 'LtiResourceLinkRequest',
      [`${LTI}version`]: '1.3.0',
      [`${LTI}deployment_id`]: this.deploymentId,
      [`${LTI}target_link_uri`]: `${toolBase}/lessons/${lesson}`,
      [`${LTI}resource_link`]: { id: resourceLinkId, title: 'Chain rule lesson' },
      [`${LTI}roles`]: roles,
      [`${LTI}context`]: { id: contextId, title: 'Calculus 101 <b>bold</b>', label: 'CALC101' },
      'https://purl.imsglobal.org/spec/lti-ags/claim/endpoint': {
        scope: [
          'https://purl.imsglobal.org/spec/lti-ags/scope/score',
          'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem',
        ],
        lineitems: this.lineItemsUrl,
        ...(lineItem ? { lineitem: lineItem } : {}),
      },
      'https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice': {
        context_memberships_url: this.membershipsUrl,
        service_versions: ['2.0'],
      },
    };
  }

  deepLinkingClaims(sub: string, toolBase = 'http://localhost:3000'): Record<string, unknown> {
    return {
      sub,
      name: 'Ines Instructor',
      [`${LTI}message_type`]: 'LtiDeepLinkingRequest',
      [`${LTI}version`]: '1.3.0',
      [`${LTI}deployment_id`]: this.deploymentId,
      [`${LTI}target_link_uri`]: `${toolBase}/lti/launch`,
      [`${LTI}roles`]: ['http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor'],
      [`${LTI}context`]: { id: 'course-1', title: 'Calculus 101' },
      'https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings': {
        deep_link_return_url: `${this.issuer}/deep-link-return`,
        accept_types: ['ltiResourceLink'],
        accept_presentation_document_targets: ['iframe', 'window'],
        accept_lineitem: true,
        data: 'opaque-platform-data',
      },
    };
  }

  /**
   * A signed id_token. `header` and `times` let refusal tests make bad ones; `key` 'other' signs
   * with a key that is not in the JWKS while claiming the published kid.
   */
  async idToken(
    claims: Record<string, unknown>,
    {
      nonce,
      aud = this.clientId,
      expiresIn = 300,
      issuedAt = Math.floor(Date.now() / 1000),
      kid = this.kid,
      key = 'own',
      iss = this.issuer,
    }: {
      nonce: string;
      aud?: string | string[];
      expiresIn?: number;
      issuedAt?: number;
      kid?: string;
      key?: 'own' | 'other';
      iss?: string;
    },
  ): Promise<string> {
    const signing = key === 'own' ? this.keys[0]!.privateKey : (await newKey()).privateKey;
    return new SignJWT({ ...claims, nonce })
      .setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' })
      .setIssuer(iss)
      .setAudience(aud)
      .setIssuedAt(issuedAt)
      .setExpirationTime(issuedAt + expiresIn)
      .sign(signing);
  }

  private async toolKeys(): Promise<JSONWebKeySet> {
    const source = this.options.toolJwks;
    if (typeof source === 'function') return source();
    if (!source) throw new Error('no tool JWKS configured');
    const response = await fetch(source);
    return (await response.json()) as JSONWebKeySet;
  }

  private bearer(request: IncomingMessage): boolean {
    const header = request.headers.authorization ?? '';
    return header.startsWith('Bearer ') && this.tokens.has(header.slice(7));
  }

  private async route(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', this.issuer);
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      const text = typeof body === 'string' ? body : JSON.stringify(body);
      response.writeHead(status, {
        'content-type': typeof body === 'string' ? 'text/html; charset=utf-8' : 'application/json',
        ...headers,
      });
      response.end(text);
    };
    const service = ['/token', '/lineitems', '/memberships'].some((prefix) => url.pathname.startsWith(prefix));
    if (service && this.failing) {
      this.refusedWhileFailing++;
      await readBody(request);
      send(503, { error: 'temporarily_unavailable', error_description: 'The LMS is down for maintenance' });
      return;
    }
    if (url.pathname === '/jwks') return send(200, { keys: this.keys.map((key) => key.publicJwk) });
    if (url.pathname === '/.well-known/openid-configuration') {
      return send(200, {
        issuer: this.issuer,
        authorization_endpoint: this.authUrl,
        token_endpoint: this.tokenUrl,
        jwks_uri: this.jwksUrl,
        registration_endpoint: `${this.issuer}/register`,
        'https://purl.imsglobal.org/spec/lti-platform-configuration': {
          product_family_code: 'testlms',
          version: '1.0',
        },
      });
    }
    if (url.pathname === '/register' && request.method === 'POST') {
      const body = JSON.parse(await readBody(request)) as Record<string, unknown>;
      if (request.headers.authorization !== 'Bearer reg-token') return send(401, { error: 'bad registration token' });
      this.registrations.push(body);
      return send(200, {
        ...body,
        client_id: this.clientId,
        'https://purl.imsglobal.org/spec/lti-tool-configuration': { deployment_id: this.deploymentId },
      });
    }
    if (url.pathname === '/auth') return this.authorize(url, send);
    if (url.pathname === '/token' && request.method === 'POST') return this.token(request, send);
    if (url.pathname === '/course') return this.coursePage(url, send);
    if (url.pathname === '/deep-link-return' && request.method === 'POST') {
      const form = new URLSearchParams(await readBody(request));
      const { payload } = await jwtVerify(form.get('JWT') ?? '', createLocalJWKSet(await this.toolKeys()), {
        algorithms: ['RS256'],
        issuer: this.clientId,
        audience: this.issuer,
      });
      this.deepLinkResponses.push(payload);
      return send(200, '<!doctype html><title>Added</title><h1>Activity added</h1>');
    }
    if (url.pathname === '/memberships') {
      if (!this.bearer(request)) return send(401, { error: 'no token' });
      const size = this.options.pageSize ?? 2;
      const page = Number(url.searchParams.get('page') ?? '0');
      const members = this.members.slice(page * size, page * size + size);
      const headers: Record<string, string> = {
        'content-type': 'application/vnd.ims.lti-nrps.v2.membershipcontainer+json',
      };
      if ((page + 1) * size < this.members.length)
        headers.link = `<${this.membershipsUrl}?page=${page + 1}>; rel="next"`;
      response.writeHead(200, headers);
      response.end(JSON.stringify({ id: url.toString(), context: { id: 'course-1' }, members }));
      return;
    }
    if (url.pathname === '/lineitems') {
      if (!this.bearer(request)) return send(401, { error: 'no token' });
      if (request.method === 'POST') {
        const body = JSON.parse(await readBody(request)) as {
          label: string;
          scoreMaximum: number;
          resourceId?: string;
          resourceLinkId?: string;
        };
        const id = `${this.lineItemsUrl}/${randomUUID()}`;
        this.lineItems.set(id, { id, ...body });
        return send(201, { id, ...body });
      }
      const linkId = url.searchParams.get('resource_link_id');
      return send(
        200,
        [...this.lineItems.values()].filter((item) => !linkId || item.resourceLinkId === linkId),
      );
    }
    const scoreMatch = /^\/lineitems\/([^/]+)\/scores$/.exec(url.pathname);
    if (scoreMatch && request.method === 'POST') {
      if (!this.bearer(request)) return send(401, { error: 'no token' });
      const lineItem = `${this.lineItemsUrl}/${scoreMatch[1]}`;
      if (!this.lineItems.has(lineItem)) return send(404, { error: 'no such line item' });
      const body = JSON.parse(await readBody(request)) as ReceivedScore['body'];
      this.scores.push({ lineItem, body, contentType: request.headers['content-type'], receivedAt: Date.now() });
      response.writeHead(204);
      response.end();
      return;
    }
    send(404, { error: 'not found' });
  }

  private async authorize(url: URL, send: (status: number, body: unknown) => void): Promise<void> {
    const params = url.searchParams;
    const problems: string[] = [];
    if (params.get('scope') !== 'openid') problems.push('scope');
    if (params.get('response_type') !== 'id_token') problems.push('response_type');
    if (params.get('response_mode') !== 'form_post') problems.push('response_mode');
    if (params.get('prompt') !== 'none') problems.push('prompt');
    if (params.get('client_id') !== this.clientId) problems.push('client_id');
    if (!params.get('state') || !params.get('nonce')) problems.push('state/nonce');
    const hint = params.get('login_hint') ?? '';
    const claims = this.pendingLaunches.get(hint);
    if (!claims) problems.push('login_hint');
    if (problems.length > 0)
      return send(400, `<!doctype html><title>Refused</title><p>Bad authorization request: ${problems.join(', ')}</p>`);
    const token = await this.idToken(claims!, { nonce: params.get('nonce')! });
    send(
      200,
      `<!doctype html><html lang="en"><head><title>Launching</title></head><body><form id="f" method="post" action="${escapeHtml(params.get('redirect_uri')!)}"><input type="hidden" name="id_token" value="${escapeHtml(token)}"><input type="hidden" name="state" value="${escapeHtml(params.get('state')!)}"><noscript><button>Continue</button></noscript></form><script>document.getElementById('f').submit()</script></body></html>`,
    );
  }

  private async token(request: IncomingMessage, send: (status: number, body: unknown) => void): Promise<void> {
    this.tokenRequests++;
    const form = new URLSearchParams(await readBody(request));
    if (form.get('grant_type') !== 'client_credentials') return send(400, { error: 'unsupported_grant_type' });
    if (form.get('client_assertion_type') !== 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer') {
      return send(400, { error: 'invalid_client', error_description: 'client_assertion_type' });
    }
    try {
      const { payload } = await jwtVerify(
        form.get('client_assertion') ?? '',
        createLocalJWKSet(await this.toolKeys()),
        {
          algorithms: ['RS256'],
          issuer: this.clientId,
          subject: this.clientId,
          audience: this.tokenUrl,
          requiredClaims: ['jti', 'exp', 'iat'],
        },
      );
      if ((payload.exp ?? 0) - (payload.iat ?? 0) > 300)
        return send(400, { error: 'invalid_client', error_description: 'assertion lives too long' });
    } catch (error) {
      return send(401, { error: 'invalid_client', error_description: (error as Error).message });
    }
    const token = randomUUID();
    this.tokens.add(token);
    send(200, { access_token: token, token_type: 'Bearer', expires_in: 3600, scope: form.get('scope') });
  }

  /** The course page: its activity link starts a launch at the tool, in this window or in an iframe. */
  private coursePage(url: URL, send: (status: number, body: unknown) => void): void {
    const tool = url.searchParams.get('tool') ?? 'http://localhost:3000';
    const hint = url.searchParams.get('hint') ?? 'learner';
    const frame = url.searchParams.get('frame') === '1';
    const fields = `<input type="hidden" name="iss" value="${escapeHtml(this.issuer)}"><input type="hidden" name="login_hint" value="${escapeHtml(hint)}"><input type="hidden" name="target_link_uri" value="${escapeHtml(`${tool}/lessons/chain-rule-computational-graphs`)}"><input type="hidden" name="client_id" value="${escapeHtml(this.clientId)}"><input type="hidden" name="lti_deployment_id" value="${escapeHtml(this.deploymentId)}">`;
    send(
      200,
      `<!doctype html><html lang="en"><head><title>Calculus 101</title></head><body><h1>Calculus 101</h1><form method="post" action="${escapeHtml(tool)}/lti/login"${frame ? ' target="tool"' : ''}>${fields}<button type="submit">Open the chain rule lesson</button></form>${frame ? '<iframe name="tool" title="Autodidact" style="width:100%;height:80vh"></iframe>' : ''}</body></html>`,
    );
  }
}
