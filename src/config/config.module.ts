import { DynamicModule, Global, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { ResolvedConfig } from './app-config';

/** Injection token for the typed, resolved configuration. */
export const APP_CONFIG = Symbol('APP_CONFIG');

/**
 * Registers the resolved configuration once, globally. The same object is exposed through
 * @nestjs/config's ConfigService (namespaced keys: `http`, `database`, `storage`, ...) and,
 * typed, through the APP_CONFIG token: `@Inject(APP_CONFIG) config: ResolvedConfig`.
 */
@Global()
@Module({})
export class AppConfigModule {
  static forRoot(config: ResolvedConfig): DynamicModule {
    return {
      module: AppConfigModule,
      imports: [ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, load: [() => config] })],
      providers: [{ provide: APP_CONFIG, useValue: config }],
      exports: [APP_CONFIG],
    };
  }
}
