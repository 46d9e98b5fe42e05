/** Reading the ARM JSON that `bicep build` emits: resources through nested module deployments, and their values. */
import type { ArmTemplate } from '../../scripts/bicep/compileInfra';

export interface Template {
  parameters: Record<string, { type: string; defaultValue?: any; minValue?: number; maxValue?: number; allowedValues?: any[] }>;
  variables?: Record<string, any>;
  resources: Record<string, Resource> | Resource[];
  outputs?: Record<string, { type: string; value: any }>;
}

export interface Resource {
  type: string;
  name?: any;
  scope?: string;
  condition?: any;
  copy?: { name: string; count: any };
  existing?: boolean;
  properties?: any;
  [key: string]: any;
}

export interface Located {
  /** The module deployment's name as written (e.g. `apim-dr-backupStorage`, or the format() of a loop's name). */
  module: string;
  symbol: string;
  resource: Resource;
  /** The template the resource is declared in (its variables and parameters). */
  template: Template;
}

export const asTemplate = (template: ArmTemplate | undefined): Template => template as unknown as Template;

function entries(template: Template): [string, Resource][] {
  const resources = template.resources;
  return Array.isArray(resources) ? resources.map((r, i) => [String(i), r]) : Object.entries(resources);
}

/** Every resource deployed (not `existing`), in this template and every module it deploys. */
export function allResources(template: Template, module = 'main'): Located[] {
  return entries(template).flatMap(([symbol, resource]) => {
    if (resource.existing) return [];
    const here: Located = { module, symbol, resource, template };
    if (resource.type !== 'Microsoft.Resources/deployments') return [here];
    return [here, ...allResources(resource.properties.template as Template, String(resource.name))];
  });
}

/** The module deployment whose name contains `name` (the literal part of a loop's name is enough). */
export function moduleDeployment(template: Template, name: string): Resource {
  const found = entries(template).find(([, r]) => r.type === 'Microsoft.Resources/deployments' && String(r.name).includes(name));
  if (!found) throw new Error(`no module deployment named like '${name}'`);
  return found[1];
}

export const moduleTemplate = (template: Template, name: string): Template => moduleDeployment(template, name).properties.template as Template;

export function resourcesOfType(template: Template, type: string): Located[] {
  return allResources(template).filter((r) => r.resource.type.toLowerCase() === type.toLowerCase());
}

/** A resource by its symbolic name inside one module's template. */
export function symbol(template: Template, name: string): Resource {
  const found = entries(template).find(([key]) => key === name);
  if (!found) throw new Error(`no resource '${name}' in the template`);
  return found[1];
}

/** A resource whose name expression contains `fragment` (for templates whose resources have no symbolic names). */
export function named(template: Template, fragment: string): Resource {
  const found = entries(template).find(([, r]) => String(r.name).includes(fragment));
  if (!found) throw new Error(`no resource named like '${fragment}'`);
  return found[1];
}

/** The role definition GUID a roleDefinitionId expression names: a built-in role's (resolved) or a parameter's name. */
export function roleOf(located: Located): string {
  const expression = String(located.resource.properties.roleDefinitionId);
  const builtIn = /variables\('builtInRoles'\)\.(\w+)/.exec(expression)?.[1];
  if (builtIn) return String(located.template.variables?.['builtInRoles']?.[builtIn]);
  const parameter = /parameters\('(\w+)'\)/.exec(expression)?.[1];
  if (parameter) return `parameter:${parameter}`;
  const local = /resourceId\('Microsoft\.Authorization\/roleDefinitions', (.+)\)\]$/.exec(expression)?.[1];
  return `expression:${local ?? expression}`;
}
