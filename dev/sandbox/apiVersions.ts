/**
 * The api-versions ARM serves for `Microsoft.ApiManagement/service`, and what it answers any other: 400 with
 * `InvalidApiVersionParameter` for a value that is not a version, `NoRegisteredProviderFound` for one it does not know.
 */
import type { ArmFailure } from './ApimSandbox';

/** As ARM listed them in its `NoRegisteredProviderFound` message for this type, plus the stable version the SDK uses. */
export const APIM_API_VERSIONS = [
  '2014-02-14',
  '2015-09-15',
  '2016-07-07',
  '2016-10-10',
  '2017-03-01',
  '2018-01-01',
  '2018-06-01-preview',
  '2019-01-01',
  '2019-12-01-preview',
  '2019-12-01',
  '2020-06-01-preview',
  '2020-12-01',
  '2021-01-01-preview',
  '2021-04-01-preview',
  '2021-08-01',
  '2021-12-01-preview',
  '2022-04-01-preview',
  '2022-08-01',
  '2022-09-01-preview',
  '2023-03-01-preview',
  '2023-05-01-preview',
  '2023-09-01-preview',
  '2024-05-01',
  '2024-06-01-preview',
];

const VERSION_SHAPE = /^\d{4}-\d{2}-\d{2}(-[a-z]+)?$/i;

/** ARM's refusal of `version` for an APIM request (400), or undefined when it serves that version. */
export function apiVersionRefusal(version: string, location: string): ArmFailure | undefined {
  if (APIM_API_VERSIONS.includes(version)) return undefined;
  const supported = APIM_API_VERSIONS.join(', ');
  if (!VERSION_SHAPE.test(version)) {
    return { code: 'InvalidApiVersionParameter', message: `The api-version '${version}' is invalid. The supported versions are '${supported}'.` };
  }
  return {
    code: 'NoRegisteredProviderFound',
    message: `No registered resource provider found for location '${location}' and API version '${version}' for type 'service'. The supported api-versions are '${supported}'. The supported locations are '${location}'.`,
  };
}
