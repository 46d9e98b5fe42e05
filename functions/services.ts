/** Where every function gets its Services: built once from app settings, or handed in by the local host. */
import { loadConfigFromEnvironment } from '../src/config/loadConfig';
import { createServices, type Services } from '../src/services';

let settings: () => NodeJS.ProcessEnv = () => process.env;

let provider: () => Services = () => {
  const built = createServices(loadConfigFromEnvironment(process.env), { settings: process.env });
  provider = () => built;
  return built;
};

export function services(): Services {
  return provider();
}

/** The app settings, without building Services: an HTTP caller is authorized before the config is even loaded. */
export function appSettings(): NodeJS.ProcessEnv {
  return settings();
}

/** The local host and tests supply their own Services (sandbox endpoints, virtual clock). */
export function useServices(next: () => Services): void {
  provider = next;
  settings = () => next().settings;
}
