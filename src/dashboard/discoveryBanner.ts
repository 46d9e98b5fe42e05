/** The dashboard's word on tag discovery: when it last ran, what it found and lost, and a failure first of all. */
import { esc, utc } from './html';
import type { DiscoveryStatus } from '../workflows/status/discoveryStatus';
import type { InstanceStatus } from '../workflows/status/fleetStatus';

export function discoveryBanner(discovery: DiscoveryStatus | undefined): string {
  if (!discovery) return '';
  const parts = [
    `<p class="discovery" data-discovery-last="${esc(discovery.lastRefreshAt ?? '')}">Tag discovery (<code>${esc(discovery.tag.name)}=${esc(discovery.tag.value)}</code> in ${esc(discovery.scope)}): <strong>${discovery.found}</strong> instance${discovery.found === 1 ? '' : 's'} protected by tag; last refresh ${discovery.lastRefreshAt ? utc(discovery.lastRefreshAt) : 'never'}.</p>`,
  ];
  if (discovery.failure) {
    parts.push(
      `<p class="outage" data-discovery-failed><strong>Discovery failed ${utc(discovery.failure.at)}</strong>: the last good list${discovery.lastSuccessAt ? ` (${utc(discovery.lastSuccessAt)})` : ''} stays protected. <span class="muted">${esc(discovery.failure.message.slice(0, 300))}</span></p>`,
    );
  }
  if (discovery.newlyFound.length) parts.push(`<p data-newly-found>Newly found by tag: ${discovery.newlyFound.map(esc).join(', ')}</p>`);
  if (discovery.noLongerTagged.length) {
    parts.push(
      `<p data-no-longer-tagged>No longer tagged (not backed up; backups kept until retention, then swept as retired): ${discovery.noLongerTagged
        .map((l) => `<span data-lost="${esc(l.service)}">${esc(l.service)} <span class="muted">since ${utc(l.lostAt)}</span></span>`)
        .join(', ')}</p>`,
    );
  }
  for (const s of discovery.skipped) parts.push(`<p class="muted" data-skipped="${esc(s.service)}">Tagged ${esc(s.service)}: ${esc(s.reason)}</p>`);
  return parts.join('\n');
}

/** How the instance came to be protected, under its name (only where discovery is on: otherwise every one is in the config). */
export function originLabel(instance: Pick<InstanceStatus, 'origin' | 'newlyFound'>, discoveryOn: boolean): string {
  if (!discoveryOn) return '';
  if (instance.origin !== 'tag') return '<small class="origin" data-origin="config">in config</small>';
  return `<small class="origin" data-origin="tag">by tag${instance.newlyFound ? ' (newly found)' : ''}</small>`;
}
