import { DynamicModule, Global, Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { loadServiceKitConfig } from './load-config';
import { ServiceKitConfig } from './service-kit.config';

const KEY = 'serviceKit';

/**
 * Validates the environment once through @nestjs/config and provides the typed `ServiceKitConfig`.
 * A bad value stops the start with a message naming the variable.
 */
@Global()
@Module({})
export class ServiceKitConfigModule {
  static forRoot(): DynamicModule {
    return {
      module: ServiceKitConfigModule,
      imports: [
        ConfigModule.forRoot({
          ignoreEnvFile: true,
          cache: true,
          load: [() => ({ [KEY]: loadServiceKitConfig(process.env) })],
        }),
      ],
      providers: [
        {
          provide: ServiceKitConfig,
          useFactory: (config: ConfigService) => config.getOrThrow<ServiceKitConfig>(KEY),
          inject: [ConfigService],
        },
      ],
      exports: [ServiceKitConfig],
    };
  }

  /** For tests and tools that already hold a config. */
  static forValue(value: ServiceKitConfig): DynamicModule {
    return {
      module: ServiceKitConfigModule,
      providers: [{ provide: ServiceKitConfig, useValue: value }],
      exports: [ServiceKitConfig],
    };
  }
}
