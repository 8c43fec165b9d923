// One way to start a service: `startService(options, AppModule)` builds the Nest application
// (PlatformModule + the service's own modules), starts it, and returns a handle whose close()
// runs the whole ordered stop. One way to run it as a process: `runMain`.
import 'reflect-metadata';
import { writeSync } from 'fs';
import { Module, type DynamicModule, type INestApplicationContext, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { Logger } from 'pino';
import { ConfigError, describeConfig, type ConfigSpec } from '../config';
import { createLogger } from '../logger';
import { installSignalHandlers, onShutdown } from '../shutdown';
import { PlatformModule } from './platform.module';
import { ServiceHost, type ServiceOptions } from './service-host';

export interface StartedService {
  app: INestApplicationContext;
  host: ServiceHost;
  /** Ordered stop (see ServiceHost.stop); safe to call more than once. */
  close(): Promise<void>;
}

export async function startService(options: ServiceOptions, appModule: Type | DynamicModule): Promise<StartedService> {
  const host = new ServiceHost(options);
  @Module({ imports: [PlatformModule.forHost(host), appModule] })
  class ServiceRoot {}
  let app: INestApplicationContext;
  try {
    app = await NestFactory.createApplicationContext(ServiceRoot, { logger: false, abortOnError: false });
  } catch (err) {
    await host.abort();
    throw err;
  }
  return { app, host, close: () => host.stop(() => app.close()) };
}

/** Exit code of a process whose configuration is wrong (nothing was started). */
export const CONFIG_ERROR_EXIT = 2;

/**
 * `--help` (or `-h`) prints the settings of the spec, one line per variable, and exits 0 before
 * anything reads the environment: operators and the chart tests list a service's settings this way.
 */
export function answerHelp(spec: ConfigSpec, argv: readonly string[] = process.argv.slice(2)): void {
  if (!argv.includes('--help') && !argv.includes('-h')) return;
  // writeSync: the whole list is out before the exit, whatever stdout is.
  writeSync(1, `${describeConfig(spec)}\n`);
  process.exit(0);
}

export interface MainOptions<C> {
  /** Every setting the service reads; `--help` lists them. */
  spec: ConfigSpec;
  /** Reads and checks the configuration; a ConfigError stops the process with CONFIG_ERROR_EXIT. */
  config: () => C;
  start: (config: C, logger: Logger) => Promise<{ close(): Promise<void> }>;
  /** The whole stop must finish within this, else the process exits with 1. */
  shutdownDeadlineMs?: (config: C) => number;
}

/** The `main` of every service process. */
export function runMain<C>(name: string, options: MainOptions<C>): void {
  answerHelp(options.spec);
  const logger = createLogger(name);
  // A bug must leave a trace before the process goes down.
  process.on('unhandledRejection', (err) => logger.error({ err }, 'unhandled rejection'));
  process.on('uncaughtException', (err) => {
    logger.fatal({ err }, 'uncaught exception');
    process.exit(1);
  });
  const fail = (err: unknown): never => {
    if (err instanceof ConfigError) {
      process.stderr.write(`${name}: ${err.message}\n`);
      process.exit(CONFIG_ERROR_EXIT);
    }
    logger.fatal({ err }, `${name} failed to start`);
    logger.flush?.();
    process.exit(1);
  };
  let config: C;
  try {
    config = options.config();
  } catch (err) {
    return fail(err);
  }
  installSignalHandlers(logger, { deadlineMs: options.shutdownDeadlineMs?.(config) });
  options.start(config, logger).then((running) => {
    onShutdown(name, () => running.close());
  }, fail);
}
