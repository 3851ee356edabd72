import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule, AppModuleOptions } from './app.module';
import { buildOpenApiDocument, configureApp, mountSwagger } from './app.setup';
import type { ResolvedConfig } from './config/app-config';

/** Builds the HTTP application (not yet listening, lifecycle hooks not yet run). */
export async function createApp(config: ResolvedConfig, options: AppModuleOptions = {}): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, options), {
    bodyParser: false,
    bufferLogs: true,
    abortOnError: false,
  });
  configureApp(app, config);
  mountSwagger(app, buildOpenApiDocument(app, config));
  return app;
}
