import { describe, expect, it } from 'vitest';
import { parseSecretSupply, withSecrets } from '../../../../src/workflows/snapshot/applySupplies';

describe("supplying a workspace's secret named value at apply", () => {
  const path = 'workspaces/team/namedValues/team-key';
  const resources = [{ path, properties: { displayName: 'team-key', secret: true } }];
  const notCaptured = [{ path, what: 'value', reason: 'secret named value: not captured', fix: 'supply it' }];

  it('parses --set for a named value of a workspace, and only a named value', () => {
    expect(parseSecretSupply(`${path}=env:TEAM_KEY`)).toEqual({ path, from: { setting: 'TEAM_KEY' } });
    expect(() => parseSecretSupply('workspaces/team/backends/b=env:X')).toThrow(/expected namedValues/);
  });

  it('sets its value and takes it off what was not captured', () => {
    const supplied = withSecrets(resources, notCaptured, new Map([[path, 'from-the-environment']]));
    expect(supplied.resources[0]?.properties).toMatchObject({ value: 'from-the-environment', secret: true });
    expect(supplied.notCaptured).toEqual([]);
  });
});
