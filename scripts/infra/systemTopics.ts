/**
 * Azure allows one Event Grid system topic per source. Before provisioning, find the resource groups whose events
 * apim-dr subscribes to that already have a system topic which `existingSystemTopics` does not name: deploying
 * would fail there half-way, so the preprovision hook stops first and says which topic to name.
 */

export interface SystemTopic {
  id: string;
  source: string;
  topicType: string;
  tags?: Record<string, string> | null;
}

/** The resource groups (lower-case IDs) holding instances with events enabled, as main.bicep computes them. */
export function eventResourceGroups(services: unknown): string[] {
  if (!Array.isArray(services)) return [];
  const groups = services
    .filter((s: { events?: { enabled?: boolean } }) => s?.events?.enabled === true)
    .map((s: { id?: unknown }) => String(s.id).split('/'))
    .filter((parts) => parts.length > 4)
    .map((parts) => `/subscriptions/${parts[2]}/resourceGroups/${parts[4]}`.toLowerCase());
  return [...new Set(groups)];
}

/**
 * One problem per watched group whose existing system topic is not named in `existingSystemTopics`. A topic this
 * azd environment created itself (tagged with its `azd-env-name`) is its own, and no reason to stop.
 */
export function unreusedSystemTopics(
  groups: string[],
  existingSystemTopics: Record<string, string>,
  topicsIn: (subscriptionId: string) => SystemTopic[],
  environmentName: string,
): { path: string; message: string }[] {
  const named = new Set(Object.keys(existingSystemTopics).map((group) => group.toLowerCase()));
  const bySubscription = new Map<string, SystemTopic[]>();
  return groups.flatMap((group) => {
    if (named.has(group)) return [];
    const subscriptionId = group.split('/')[2]!;
    if (!bySubscription.has(subscriptionId)) bySubscription.set(subscriptionId, topicsIn(subscriptionId));
    const topic = bySubscription
      .get(subscriptionId)!
      .find((t) => t.source.toLowerCase() === group && t.topicType.toLowerCase() === 'microsoft.resources.resourcegroups');
    if (topic?.tags?.['azd-env-name'] === environmentName) return [];
    if (!topic) return [];
    return [
      {
        path: 'existingSystemTopics',
        message: `resource group '${group}' already has the Event Grid system topic '${topic.id}', and Azure allows one per source; reuse it: set existingSystemTopics to {"${group}": "${topic.id}"} in infra/main.parameters.json`,
      },
    ];
  });
}
