/** The preprovision look-up of system topics that exist already for a watched resource group. */
import { describe, expect, it } from 'vitest';
import { eventResourceGroups, unreusedSystemTopics, type SystemTopic } from '../../scripts/infra/systemTopics';

const SUB = '00000000-0000-0000-0000-000000000001';
const id = (rg: string, name: string) => `/subscriptions/${SUB}/resourceGroups/${rg}/providers/Microsoft.ApiManagement/service/${name}`;
const group = (rg: string) => `/subscriptions/${SUB}/resourcegroups/${rg}`.toLowerCase();
const topic = (rg: string, source = rg): SystemTopic => ({
  id: `/subscriptions/${SUB}/resourceGroups/${rg}/providers/Microsoft.EventGrid/systemTopics/existing-${rg}`,
  source: `/subscriptions/${SUB}/resourceGroups/${source.toUpperCase()}`,
  topicType: 'Microsoft.Resources.ResourceGroups',
});

describe('existing Event Grid system topics', () => {
  it('watches the groups of instances with events on, each once', () => {
    const services = [{ id: id('rg-a', 'one'), events: { enabled: true } }, { id: id('RG-A', 'two'), events: { enabled: true } }, { id: id('rg-b', 'three') }];
    expect(eventResourceGroups(services)).toEqual([group('rg-a')]);
  });

  it('names the topic to reuse when a watched group has one already', () => {
    const problems = unreusedSystemTopics([group('rg-a'), group('rg-b')], {}, () => [topic('rg-a'), topic('rg-c')], 'dr');
    expect(problems).toEqual([
      { path: 'existingSystemTopics', message: expect.stringContaining(`already has the Event Grid system topic '${topic('rg-a').id}'`) },
    ]);
    expect(problems[0]!.message).toContain(`set existingSystemTopics to {"${group('rg-a')}": "${topic('rg-a').id}"}`);
  });

  it('is content when the topic is named, whatever the case of the group ID, and asks each subscription once', () => {
    let asked = 0;
    const lookup = () => {
      asked += 1;
      return [topic('rg-a'), topic('rg-b')];
    };
    expect(
      unreusedSystemTopics([group('rg-a'), group('rg-b')], { [`/subscriptions/${SUB}/resourceGroups/RG-A`]: topic('rg-a').id }, lookup, 'dr'),
    ).toHaveLength(1);
    expect(asked).toBe(1);
  });

  it('ignores topics of other sources and kinds', () => {
    const storageTopic = { ...topic('rg-a'), topicType: 'Microsoft.Storage.StorageAccounts' };
    expect(unreusedSystemTopics([group('rg-a')], {}, () => [storageTopic, topic('rg-x', 'rg-y')], 'dr')).toEqual([]);
  });

  it("is content with the topic this environment created itself on an earlier provision, not another environment's", () => {
    const own = { ...topic('rg-a'), tags: { 'azd-env-name': 'dr' } };
    expect(unreusedSystemTopics([group('rg-a')], {}, () => [own], 'dr')).toEqual([]);
    expect(unreusedSystemTopics([group('rg-a')], {}, () => [own], 'dr-test')).toHaveLength(1);
  });
});
