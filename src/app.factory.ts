import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { FrontedExpressAdapter } from '@app/common';
import { AppModule, AppModuleOptions } from './app.module';
import { buildOpenApiDocument, configureApp, mountSwagger } from './app.setup';
import type { ResolvedConfig } from './config/app-config';

/** Builds the HTTP application (not yet listening, lifecycle hooks not yet run). */
export async function createApp(config: ResolvedConfig, options: AppModuleOptions = {}): Promise<NestExpressApplication> {
  // Express behind a front handler for the hot public reads (configureApp sets it)
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, options), new FrontedExpressAdapter(), {
    bodyParser: false,
    bufferLogs: true,
    abortOnError: false,
  });
  configureApp(app, config);
  mountSwagger(app, buildOpenApiDocument(app, config));
  return app;
}
