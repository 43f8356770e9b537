import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { uuidv7 } from '@tanfang/domain';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import { VERSION, type Config } from './config.js';
import { installErrorHandler } from './http/errors.js';
import { installSession } from './http/session.js';
import { auditRoutes } from './modules/audit/audit.routes.js';
import { authRoutes } from './modules/auth/auth.routes.js';
import { eldersRoutes } from './modules/elders/elders.routes.js';
import { exportsRoutes } from './modules/exports/exports.routes.js';
import { assignmentsRoutes } from './modules/assignments/assignments.routes.js';
import { visitorsRoutes } from './modules/visitors/visitors.routes.js';
import { campaignsRoutes } from './modules/campaigns/campaigns.routes.js';
import { policiesRoutes } from './modules/policies/policies.routes.js';
import { scheduleRoutes } from './modules/schedule/schedule.routes.js';
import { importsRoutes } from './modules/imports/imports.routes.js';
import { healthRoutes } from './modules/health/health.routes.js';
import { regionsRoutes } from './modules/regions/regions.routes.js';
import { usersRoutes } from './modules/users/users.routes.js';
import { templatesRoutes } from './modules/templates/templates.routes.js';
import { visitsRoutes } from './modules/visits/visits.routes.js';
import { rollupsRoutes } from './modules/rollups/rollups.routes.js';
import { attachmentsRoutes } from './modules/attachments/attachments.routes.js';
import { findingsRoutes } from './modules/findings/findings.routes.js';
import { emergenciesRoutes } from './modules/emergencies/emergencies.routes.js';
import { alertsRoutes } from './modules/alerts/alerts.routes.js';
import { providersRoutes } from './modules/providers/providers.routes.js';
import { referralsRoutes } from './modules/referrals/referrals.routes.js';
import { careServicesRoutes } from './modules/care-services/care-services.routes.js';
import { entitlementsRoutes } from './modules/entitlements/entitlements.routes.js';
import { dashboardRoutes } from './modules/dashboard/dashboard.routes.js';
import { scorecardsRoutes } from './modules/scorecards/scorecards.routes.js';
import { reportsRoutes } from './modules/reports/reports.routes.js';
import { spotChecksRoutes } from './modules/spot-checks/spot-checks.routes.js';
import type { Services } from './services.js';

/** The built console, served at `/`. */
export const DEFAULT_WEB_DIR = fileURLToPath(new URL('../../web/dist/', import.meta.url));

declare module 'fastify' {
  interface FastifyInstance {
    /** Every API route as 'METHOD /url', for tests that must cover them all. */
    apiRoutes: string[];
  }
}

/** Options of the HTTP app. */
export type AppOptions = Pick<
  Config,
  'trustProxy' | 'sessionHours' | 'secureCookies' | 'logLevel' | 'webDir'
>;

/** Builds the HTTP app: the API under /api, OpenAPI at /docs, the console at /. */
export async function buildApp(services: Services, options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logLevel === 'silent' ? false : { level: options.logLevel },
    trustProxy: options.trustProxy,
    bodyLimit: 1024 * 1024,
    genReqId: () => uuidv7(),
    requestIdHeader: false,
    ajv: { customOptions: { strict: false } },
  });
  // Validation is done by the domain's zod schemas in the services; route schemas are documentation.
  app.setValidatorCompiler(() => () => true);
  const routes: string[] = [];
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const m of methods)
      if (m !== 'HEAD' && route.url.startsWith('/api/')) routes.push(`${m} ${route.url}`);
  });
  app.decorate('apiRoutes', routes);
  installErrorHandler(app);
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });

  await app.register(cookie);
  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        // antd injects its CSS-in-JS styles at run time
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        connectSrc: ["'self'"],
        upgradeInsecureRequests: null,
      },
    },
    hsts: false,
  });
  await app.register(swagger, {
    openapi: {
      info: {
        title: '探访关爱 tanfang API',
        version: VERSION,
        description: '特殊困难老年人探访关爱服务系统接口',
      },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'tf_session' },
          csrf: { type: 'apiKey', in: 'header', name: 'x-csrf-token' },
        },
      },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: true });

  installSession(app, services);
  const secure = (req: FastifyRequest) =>
    options.secureCookies === 'true' ||
    (options.secureCookies === 'auto' && req.protocol === 'https');
  healthRoutes(app, services);
  authRoutes(app, services, { hours: options.sessionHours, secure });
  regionsRoutes(app, services);
  usersRoutes(app, services);
  auditRoutes(app, services);
  eldersRoutes(app, services);
  importsRoutes(app, services);
  exportsRoutes(app, services);
  visitorsRoutes(app, services);
  assignmentsRoutes(app, services);
  policiesRoutes(app, services);
  campaignsRoutes(app, services);
  scheduleRoutes(app, services);
  templatesRoutes(app, services);
  visitsRoutes(app, services);
  rollupsRoutes(app, services);
  attachmentsRoutes(app, services);
  findingsRoutes(app, services);
  emergenciesRoutes(app, services);
  alertsRoutes(app, services);
  providersRoutes(app, services);
  referralsRoutes(app, services);
  careServicesRoutes(app, services);
  entitlementsRoutes(app, services);
  dashboardRoutes(app, services);
  scorecardsRoutes(app, services);
  reportsRoutes(app, services);
  spotChecksRoutes(app, services);
  // Running imports stop (and are marked failed) before the database closes.
  app.addHook('onClose', () => services.imports.close());

  const webDir = options.webDir ?? DEFAULT_WEB_DIR;
  const hasWeb = fs.existsSync(path.join(webDir, 'index.html'));
  if (hasWeb) {
    await app.register(fastifyStatic, { root: webDir, wildcard: false, index: false });
  }
  app.setNotFoundHandler((request, reply) => {
    const pathname = request.url.split('?')[0]!;
    const isFile = pathname.startsWith('/assets/') || /\.[a-z0-9]+$/i.test(pathname);
    if (pathname.startsWith('/api/') || request.method !== 'GET' || !hasWeb || isFile) {
      const message = pathname.startsWith('/api/') ? '接口不存在' : '文件不存在';
      return reply.status(404).send({ error: { code: 'not_found', message } });
    }
    // The console is a single-page app: every other GET gets its shell.
    return reply.type('text/html').sendFile('index.html');
  });
  return app;
}
