import { describe, expect, it } from 'vitest';
import { parseSecretSupply, withSecrets } from '../../../../src/workflows/snapshot/applySupplies';

describe("supplying a workspace's secrets at apply", () => {
  const path = 'workspaces/team/namedValues/team-key';
  const resources = [{ path, properties: { displayName: 'team-key', secret: true } }];
  const notCaptured = [{ path, what: 'value', reason: 'secret named value: not captured', fix: 'supply it' }];

  it('parses --set for a named value of a workspace, and refuses a value on the command line', () => {
    expect(parseSecretSupply(`${path}=env:TEAM_KEY`)).toEqual({ path, from: { setting: 'TEAM_KEY' } });
    expect(() => parseSecretSupply(`${path}=s3cret`)).toThrow(/expected <secret>=env:<VARIABLE>/);
  });

  it('sets its value and takes it off what was not captured', () => {
    const supplied = withSecrets(resources, notCaptured, new Map([[path, 'from-the-environment']]));
    expect(supplied.resources[0]?.properties).toMatchObject({ value: 'from-the-environment', secret: true });
    expect(supplied.notCaptured).toEqual([]);
  });

  it("supplies a workspace backend's redacted header as it does the service's", () => {
    const backend = 'workspaces/team/backends/b';
    const left = [{ path: backend, what: 'credentials.header.x-key', reason: 'literal credential: redacted', fix: 'supply it' }];
    const supplied = withSecrets([{ path: backend, properties: { url: 'https://b.example' } }], left, new Map([[`${backend}.credentials.header.x-key`, 'k']]));
    expect(supplied.resources[0]?.properties).toMatchObject({ credentials: { header: { 'x-key': ['k'] } } });
    expect(supplied.notCaptured).toEqual([]);
  });
});

describe('withSecrets', () => {
  it('keeps the fields of an entry not given as still left out', () => {
    const notCaptured = [{ path: 'certificates/c', what: 'data, password', reason: 'r', fix: 'f' }];
    const supplied = withSecrets([], notCaptured, new Map([['certificates/c.data', 'AAAA']]));
    expect(supplied.resources).toEqual([{ path: 'certificates/c', properties: { data: 'AAAA' } }]);
    expect(supplied.notCaptured).toEqual([{ ...notCaptured[0], what: 'password' }]);
  });
});
