import { describe, expect, it } from 'vitest';
import { operationTokenProblem, operationUrlProblem } from '../../../src/domain/operationUrl';
import { parseServiceId } from '../../../src/domain/resourceId';

const ARM = 'https://management.azure.com';
const SUB = '00000000-0000-0000-0000-000000000001';
const ref = parseServiceId(`/subscriptions/${SUB}/resourceGroups/rg-apim/providers/Microsoft.ApiManagement/service/apim-one`)!;
const tokenFor = (operationLocation: string, resourceLocation?: string) =>
  JSON.stringify({ state: { status: 'running', config: { operationLocation, resourceLocation } } });

describe('the URLs a resumed poller may follow', () => {
  it.each([
    ['the instance’s own operation results', `${ARM}${ref.id}/operationresults/abc?api-version=2024-05-01`],
    ['the instance path in another letter case, as ARM allows', `${ARM}${ref.id.toUpperCase()}/operationResults/abc`],
    [
      'APIM’s operation results in the instance’s subscription',
      `${ARM}/subscriptions/${SUB}/providers/Microsoft.ApiManagement/locations/westeurope/operationResults/x1?api-version=2024-05-01`,
    ],
    ['a path relative to the ARM endpoint', `${ref.id}/operationresults/abc`],
  ])('follows %s', (_, url) => {
    expect(operationUrlProblem(url, ARM, ref)).toBeUndefined();
  });

  it.each([
    ['another HTTPS host', 'https://attacker.example/subscriptions/x', /is on host attacker\.example, not the configured ARM host management\.azure\.com/],
    ['a look-alike host', `https://management.azure.com.attacker.example${ref.id}/operationresults/a`, /is on host management\.azure\.com\.attacker\.example/],
    ['another port on the ARM host', `https://management.azure.com:8443${ref.id}/operationresults/a`, /is on host management\.azure\.com:8443/],
    ['plain HTTP on the ARM host', `http://management.azure.com${ref.id}/operationresults/a`, /is not HTTPS/],
    ['credentials in the URL', `https://user:pw@management.azure.com${ref.id}/operationresults/a`, /carries credentials/],
    ['a protocol-relative URL to another host', '//attacker.example/x', /is on host attacker\.example/],
    [
      'another instance',
      `${ARM}/subscriptions/${SUB}/resourceGroups/rg-apim/providers/Microsoft.ApiManagement/service/apim-two/operationresults/a`,
      /is not under/,
    ],
    ['an instance whose name starts the same', `${ARM}${ref.id}-evil/operationresults/a`, /is not under/],
    [
      'operation results of another subscription',
      `${ARM}/subscriptions/00000000-0000-0000-0000-000000000002/providers/Microsoft.ApiManagement/locations/westeurope/operationResults/x`,
      /is not under/,
    ],
    ['a dot-dot walk out of the path', `${ARM}${ref.id}/../../../../../../subscriptions/other/x`, /is not under/],
    ['an encoded slash', `${ARM}${ref.id}/..%2f..%2fapim-two`, /encoded slash/],
  ])('refuses %s', (_, url, reason) => {
    expect(operationUrlProblem(url, ARM, ref)).toMatch(reason);
  });

  it('checks every URL in a token, and refuses a token that is not a poller state', () => {
    expect(operationTokenProblem(tokenFor(`${ARM}${ref.id}/operationresults/a`), ARM, ref)).toBeUndefined();
    expect(operationTokenProblem(tokenFor(`${ARM}${ref.id}/operationresults/a`, 'https://attacker.example/r'), ARM, ref)).toMatch(
      /^its resourceLocation is on host attacker\.example/,
    );
    expect(operationTokenProblem('not json', ARM, ref)).toMatch(/not a poller state/);
    expect(operationTokenProblem(JSON.stringify({ state: {} }), ARM, ref)).toMatch(/not a poller state/);
    expect(operationTokenProblem(JSON.stringify({ state: { config: {} } }), ARM, ref)).toMatch(/names no operation URL/);
  });
});
