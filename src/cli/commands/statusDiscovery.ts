/** The lines `apim-dr status` prints about tag discovery: when it last ran, what it found and lost, and whether it failed. */
import type { DiscoveryStatus } from '../../workflows/status/discoveryStatus';

export function discoveryLines(discovery: DiscoveryStatus | undefined): string[] {
  if (!discovery) return [];
  const tag = `${discovery.tag.name}=${discovery.tag.value}`;
  const lines = [
    `Discovery (tag ${tag} in ${discovery.scope}): ${discovery.found} instance(s) protected by tag; last refresh ${discovery.lastRefreshAt ?? 'never'}${
      discovery.lastSuccessAt && discovery.lastSuccessAt !== discovery.lastRefreshAt ? `, last complete ${discovery.lastSuccessAt}` : ''
    }`,
  ];
  if (discovery.failure) lines.push(`Discovery FAILED at ${discovery.failure.at}: ${discovery.failure.message}; the last good list stays protected`);
  if (discovery.newlyFound.length) lines.push(`Newly found by tag: ${discovery.newlyFound.join(', ')}`);
  for (const lost of discovery.noLongerTagged) {
    lines.push(`No longer tagged since ${lost.lostAt}: ${lost.service} (not backed up; its backups are kept until retention, then swept as retired)`);
  }
  for (const skipped of discovery.skipped) lines.push(`Tagged ${skipped.service}: ${skipped.reason}`);
  return lines;
}
