import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config/loadConfig';
import { configProblems as problems } from '../../support/configProblems';
import { STANDBY_FIELD, standbyConfig } from '../../support/standbyConfig';

const withOverrides = (overrides: unknown) => standbyConfig({ overrides });
const FIELD = `${STANDBY_FIELD}.overrides`;

describe('standbys[].overrides', () => {
  it("takes the standby's own environment values, named as --override names them", () => {
    const overrides = {
      'backends/orders.url': 'https://orders.neu.contoso.example',
      'apis/orders.serviceUrl': 'https://orders-api.neu.contoso.example/v1',
      'caches/default.resourceId': 'https://management.azure.com/subscriptions/1/resourceGroups/rg/providers/Microsoft.Cache/redis/neu',
      'loggers/appinsights.resourceId': '/subscriptions/1/resourceGroups/rg/providers/microsoft.insights/components/ai-neu',
      'workspaces/sales/backends/sales.url': 'https://sales.neu.contoso.example',
    };
    expect(parseConfig(withOverrides(overrides)).services[0]!.standbys[0]!.overrides).toEqual(overrides);
  });

  it('names the entry, the problem and the fix for each bad one', () => {
    const found = problems(
      withOverrides({
        'backends/orders': 'https://orders.neu.contoso.example',
        'widgets/orders.url': 'https://orders.neu.contoso.example',
        'backends/orders.credentials.header.x-api-key': 'pasted-key-value',
        'apis/orders.serviceUrl': 'orders.neu.contoso.example',
        'apis/billing.serviceUrl': '{{billing-url}}',
        'loggers/appinsights.resourceId': ' ',
      }),
    );
    expect(found).toEqual([
      {
        path: `${FIELD}["backends/orders"]`,
        message: expect.stringMatching(/does not name a field of a resource: write <type>\/<name>\.<field> as for --override/),
      },
      { path: `${FIELD}["widgets/orders.url"]`, message: expect.stringContaining('does not name a field of a resource') },
      {
        path: `${FIELD}["backends/orders.credentials.header.x-api-key"]`,
        message: expect.stringContaining('is a secret: name the APIM_DR_SECRET_ app setting that holds it under secrets'),
      },
      { path: `${FIELD}["apis/orders.serviceUrl"]`, message: expect.stringContaining('is not an absolute http(s) URL') },
      { path: `${FIELD}["apis/billing.serviceUrl"]`, message: expect.stringContaining('references a named value, which APIM resolves in policies only') },
      { path: `${FIELD}["loggers/appinsights.resourceId"]`, message: expect.stringContaining('is empty') },
    ]);
    // A secret pasted in is not echoed back.
    expect(JSON.stringify(found)).not.toContain('pasted-key-value');
  });

  it('echoes a long value cut short', () => {
    const long = `ftp://${'x'.repeat(500)}`;
    const [problem] = problems(withOverrides({ 'backends/orders.url': long }));
    expect(problem!.message).toContain(`'${long.slice(0, 80)}…'`);
    expect(problem!.message.length).toBeLessThan(250);
  });

  it('refuses two entries for one field that differ only in case', () => {
    expect(problems(withOverrides({ 'backends/orders.url': 'https://a.example', 'Backends/Orders.url': 'https://b.example' }))).toEqual([
      { path: `${FIELD}["Backends/Orders.url"]`, message: "overrides the same field as 'backends/orders.url' (names are case-insensitive): keep one" },
    ]);
  });
});
