/**
 * The dashboard page: one self-contained HTML document (inline CSS and SVG, no script, no CDN), a row per
 * instance, problems first, grouped by protection level and subscription in `<details>`, so a fleet of a thousand
 * opens on its problems with the healthy groups collapsed (and printed whole). Pure: the same view always renders the same page.
 * Every value that comes from a record, a manifest, the config or ARM goes through `esc` (text and quoted
 * attributes alike) or, for a time, through `utc`/`isoTime`, which parse it as a date first: nothing stored is markup.
 */
import { secretsSkippedText } from '../domain/snapshotStandbySync';
import { count, dateOf, day, esc, isoTime, utc } from './html';
import { timeline } from './timeline';
import { formatDuration } from '../domain/duration';
import { discoveryBanner, originLabel } from './discoveryBanner';
import { heldName, type StandbySync } from '../domain/standbySync';
import type { ProtectionLevel, RestoreInto } from '../workflows/status/fleetStatus';
import type { DashboardView } from '../workflows/status/dashboardView';

type Instance = DashboardView['instances'][number];

const LEVEL_LABEL: Record<ProtectionLevel, string> = { protected: 'Protected', 'at-risk': 'At risk', unprotected: 'Unprotected' };
const LEVEL_ORDER: Record<ProtectionLevel, number> = { unprotected: 0, 'at-risk': 1, protected: 2 };
const SYNC_LABEL: Record<StandbySync['state'], string> = {
  'in-sync': 'in sync',
  behind: 'behind',
  diverged: 'diverged',
  'never-restored': 'never restored',
  restoring: 'restoring',
  failed: 'last restore failed',
};

/** A wall screen stays current during an outage without a script: the page reloads itself. */
export const REFRESH_SECONDS = 60;

export function renderDashboard(view: DashboardView): string {
  const rows = [...view.instances].sort((a, b) => LEVEL_ORDER[a.protection] - LEVEL_ORDER[b.protection] || a.service.localeCompare(b.service));
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="refresh" content="${REFRESH_SECONDS}">
<title>apim-dr: DR status</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>API Management disaster recovery</h1>
<p class="as-of">As of <time datetime="${isoTime(view.at)}">${utc(view.at)}</time></p>
<ul class="summary" aria-label="Fleet summary">
${(['protected', 'at-risk', 'unprotected'] as const).map((level) => `<li class="${level}" data-level="${level}"><strong>${count(view.summary[level])}</strong> ${LEVEL_LABEL[level].toLowerCase()}</li>`).join('\n')}
</ul>
${view.armUnreachable.map((o) => `<p class="outage" data-outage="${esc(o.subscriptionId)}"><strong>ARM unreachable since ${utc(o.since)}</strong> for subscription ${esc(o.subscriptionId)}: new backups there wait until it answers; running ones are still watched. <span class="muted">${esc(o.message.slice(0, 200))}</span></p>`).join('\n')}
${discoveryBanner(view.discovery)}
${view.onStv1 ? `<p class="stv1" data-on-stv1="${count(view.onStv1)}"><strong>${count(view.onStv1)} instance${view.onStv1 === 1 ? '' : 's'} still on stv1</strong>, the platform retired on 31 August 2024: run <code>apim-dr migrate &lt;service&gt; --dry-run</code> for each.</p>` : ''}
<p class="legend">Timeline: a column per day, ${day(view.timelineStart)} to ${day(view.at)}, failures on top; a backup can be restored for 30 days
<span class="key window"></span> (the shaded part).
<span class="key succeeded"></span> succeeded <span class="key failed"></span> failed <span class="key expired"></span> expired
<span class="key running"></span> running</p>
</header>
<main>
${groups(rows)
  .map((group) => section(group, rows.length, view))
  .join('\n')}
${rows.length === 0 ? '<p>No instance is protected: add one to the config.</p>' : ''}
</main>
</body>
</html>
`;
}

/** A fleet larger than this shows its healthy groups collapsed, so the problems fit on the first screen. */
export const COLLAPSE_HEALTHY_ABOVE = 30;

interface Group {
  level: ProtectionLevel;
  subscriptionId: string;
  instances: Instance[];
}

/** Problems first: by protection level, then by subscription, each group in name order (`rows` is sorted so). */
function groups(rows: Instance[]): Group[] {
  const found = new Map<string, Group>();
  for (const instance of rows) {
    const subscriptionId = instance.id.split('/')[2] ?? '';
    const key = `${instance.protection}|${subscriptionId}`;
    const group = found.get(key) ?? { level: instance.protection, subscriptionId, instances: [] };
    group.instances.push(instance);
    found.set(key, group);
  }
  return [...found.values()].sort((a, b) => LEVEL_ORDER[a.level] - LEVEL_ORDER[b.level] || a.subscriptionId.localeCompare(b.subscriptionId));
}

/** One group as a `<details>`: open when it holds problems, or when the fleet is small enough to show whole. */
function section(group: Group, fleetSize: number, view: DashboardView): string {
  const open = group.level !== 'protected' || fleetSize <= COLLAPSE_HEALTHY_ABOVE;
  const n = group.instances.length;
  const level = esc(group.level);
  return `<details class="group ${level}" data-level="${level}" data-subscription="${esc(group.subscriptionId)}"${open ? ' open' : ''}>
<summary><span class="badge ${level}">${esc(LEVEL_LABEL[group.level])}</span> <strong>${n}</strong> instance${n === 1 ? '' : 's'} in subscription <code>${esc(group.subscriptionId)}</code></summary>
<table>
<thead><tr><th scope="col">Instance</th><th scope="col">Status</th><th scope="col">Backups (shaded: restorable)</th><th scope="col">Newest restorable backup</th><th scope="col">Standbys</th></tr></thead>
<tbody>
${group.instances.map((instance) => row(instance, view)).join('\n')}
</tbody>
</table>
</details>`;
}

function row(instance: Instance, view: DashboardView): string {
  const details = [
    ...instance.reasons.map((r) => `<li>${esc(r)}</li>`),
    instance.lastFailure
      ? `<li class="failure">Last failure ${ago(instance.lastFailure.createdAt, view.at)}: <code>${esc(instance.lastFailure.code)}</code> ${esc(instance.lastFailure.message)}</li>`
      : '',
    instance.running
      ? `<li class="running">Backup running${instance.running.phase && instance.running.phase !== 'running' ? ` (${esc(instance.running.phase)})` : ''}</li>`
      : '',
    instance.restoring ? `<li class="running" data-restoring>Being overwritten: ${restoring(instance.restoring, view.at)}</li>` : '',
    instance.pendingChanges?.count ? `<li>${count(instance.pendingChanges.count)} configuration change(s) waiting for a backup</li>` : '',
    migration(instance),
    instance.scheduleWarning ? `<li class="schedule-warning">${esc(instance.scheduleWarning)}</li>` : '',
    instance.snapshots
      ? `<li data-snapshots="${instance.snapshots.newest ? 'taken' : 'none'}">Configuration snapshots${instance.snapshots.only ? ' (its protection: no native backup on this tier)' : ''}: ${instance.snapshots.newest ? `newest ${ago(instance.snapshots.newest.takenAt, view.at)}` : 'none yet'}</li>`
      : '',
  ].filter(Boolean);
  const protection = esc(instance.protection);
  return `<tr data-service="${esc(instance.service)}" data-protection="${protection}">
<th scope="row"><span class="name">${esc(instance.service)}</span><small>${esc(resourceGroupOf(instance.id))}</small>${originLabel(instance, view.discovery !== undefined)}${platform(instance)}</th>
<td><span class="badge ${protection}">${esc(LEVEL_LABEL[instance.protection])}</span>${details.length ? `<ul class="details">${details.join('')}</ul>` : ''}</td>
<td>${timeline(instance, view)}</td>
<td>${newest(instance)}</td>
<td>${instance.standbys.length ? `<ul class="standbys">${instance.standbys.map((s) => standby(s, view.at)).join('')}</ul>` : '<span class="muted">none</span>'}${drill(instance)}</td>
</tr>`;
}

function platform(instance: Instance): string {
  if (!instance.platform) return '';
  const retired = instance.platform === 'stv1';
  return `<small class="platform${retired ? ' retired' : ''}" data-platform="${esc(instance.platform)}">${esc(instance.platform)}${retired ? ' (retired platform)' : ''}</small>`;
}

function migration(instance: Instance): string {
  const m = instance.migration;
  if (!m) return '';
  const how = m.kind === 'side-by-side' ? `side by side into ${esc(m.target ?? '')}` : `in place${m.mode ? ` (${esc(m.mode)})` : ''}`;
  if (m.state === 'running') {
    const overdue = m.overdue ? ` <strong class="overdue">${esc(m.overdue)}</strong>` : '';
    return `<li class="running" data-migration="running">Migration ${how} running${m.phase ? `: ${esc(m.phase)}${m.percent !== undefined ? ` ${count(m.percent)}%` : ''}` : ''}${overdue}</li>`;
  }
  const wayBack = m.wayBackUntil && m.state === 'succeeded' && m.kind === 'in-place' ? `; way back until ${utc(m.wayBackUntil)}` : '';
  const why = m.error && m.state !== 'succeeded' ? `: ${esc(m.error)}` : '';
  return `<li data-migration="${esc(m.state)}">Migration ${how} ${esc(m.state)} ${utc(m.completedAt ?? m.requestedAt)}${why}${wayBack}</li>`;
}

function drill(instance: Instance): string {
  const d = instance.lastDrill;
  if (!d) return '';
  const result = d.state === 'succeeded' ? 'passed' : d.state === 'running' ? 'running' : 'FAILED';
  const rto = d.rtoMs !== undefined && d.state === 'succeeded' ? `, RTO ${short(d.rtoMs)}` : '';
  const why = d.error && d.state !== 'succeeded' ? `<br><span class="muted">${esc(d.error)}</span>` : '';
  return `<p class="drill drill-${esc(d.state)}" data-drill="${esc(d.target)}">Drill into ${esc(d.target)}: <strong>${result}</strong>${rto} <span class="muted">${utc(d.completedAt ?? d.requestedAt)}</span>${why}</p>`;
}

function newest(instance: Instance): string {
  const n = instance.newestRestorable;
  if (!n) return '<span class="none">None</span>';
  const late = n.ageMs > instance.rpoMs;
  return `<span class="age ${late ? 'late' : 'ok'}">${short(n.ageMs)} old</span> <span class="muted">(RPO ${short(instance.rpoMs)})</span><br>
<span class="expires">expires in ${short(n.expiresInMs)}</span> <span class="muted">${utc(n.expiresAt)}</span>`;
}

function standby(s: StandbySync & { progress?: RestoreInto }, now: string): string {
  const state = s.state === 'behind' && s.lagMs !== undefined ? `${short(s.lagMs)} behind` : esc(SYNC_LABEL[s.state] ?? s.state);
  // Diverged: what it holds instead of the primary's configuration, and since when (a failover there would serve it).
  const holds = s.holds
    ? `<br><span class="holds" data-holds>holds ${esc(heldName(s.holds))} (${esc(s.holds.purpose)} from ${esc(s.holds.source)}${s.holds.since ? `, since ${utc(s.holds.since)}` : ''})</span>`
    : '';
  const l = s.lastRestore;
  const last = l
    ? `<br><span class="muted">last ${esc(l.purpose)} ${esc(l.state)}${l.rtoMs !== undefined ? `, RTO ${short(l.rtoMs)}` : ''}${l.completedAt ? `, ${utc(l.completedAt)}` : ''}, by <span data-requested-by>${esc(l.requestedBy)}</span>: <code data-record>${esc(l.recordName)}</code></span>${
        l.preRestoreBackup && l.state === 'succeeded'
          ? `<br><span class="muted">undo: <code data-rollback>apim-dr restore --rollback ${esc(l.recordName)} --yes</code></span>`
          : ''
      }`
    : lastApply(s.lastApply);
  // Its record is on the next line, as its last restore.
  const progress = s.progress ? `<br><span class="running" data-restoring>${restoring({ ...s.progress, recordName: undefined }, now)}</span>` : '';
  return `<li data-standby="${esc(s.service)}" class="sync-${esc(s.state)}"><span class="name">${esc(s.service)}</span>: ${state} <span class="muted">(sync: ${esc(s.sync)})</span>${progress}${holds}${last}</li>`;
}

/** A standby kept by snapshots: the newest apply into it, as its last restore is shown for the others. */
function lastApply(a: StandbySync['lastApply']): string {
  if (!a) return '';
  const secrets = secretsSkippedText(a);
  return `<br><span class="muted">last snapshot ${esc(a.purpose)} ${esc(a.state)}, RTO ${short(a.rtoMs)}, ${utc(a.completedAt)}, by <span data-requested-by>${esc(a.requestedBy)}</span>: <code data-record>${esc(a.recordName)}</code> (${esc(a.snapshotName)})</span>${
    secrets ? `<br><span class="holds" data-secrets-skipped>${esc(secrets)}</span>` : ''
  }`;
}

/** A restore running into an instance: from where, its phase, a percent only where its history gives one, and for how long. */
function restoring(r: RestoreInto, now: string): string {
  const phase = r.phase ? `: ${esc(r.phase)}${r.percent !== undefined ? ` ${count(r.percent)}%` : ''}` : '';
  const record = r.recordName ? ` <code data-record>${esc(r.recordName)}</code>` : '';
  const what =
    r.via === 'snapshot' ? `snapshot apply${r.snapshotName ? ` of ${esc(r.snapshotName)}` : ''}` : `restore${r.source ? ` from ${esc(r.source)}` : ''}`;
  return `${what} running${phase}${r.since ? `, started ${ago(r.since, now)}` : ''}${record}`;
}

/** The two largest units, as a person reads an age: '1d 6h', '59m 40s'. */
function short(ms: number): string {
  return formatDuration(ms).split(' ').slice(0, 2).join(' ');
}

function resourceGroupOf(id: string): string {
  const parts = id.split('/');
  return parts[4] ? `${parts[4]} · ${parts[2]?.slice(0, 8)}…` : id;
}

function ago(iso: string, now: string): string {
  const then = dateOf(iso);
  const at = dateOf(now);
  return then === undefined || at === undefined ? 'at an unknown time' : `${short(at - then)} ago`;
}

const STYLE = `
:root { --ok: #1a7f37; --warn: #9a6700; --bad: #cf222e; --muted: #57606a; --line: #d0d7de; --run: #0969da; }
* { box-sizing: border-box; }
body { font: 14px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1f2328; margin: 0 auto; padding: 16px 24px; max-width: 1400px; }
h1 { font-size: 20px; margin: 0 0 4px; }
.as-of, .legend, .muted, small { color: var(--muted); }
.summary { display: flex; gap: 12px; list-style: none; padding: 0; margin: 12px 0; }
.summary li { border: 1px solid var(--line); border-left-width: 6px; border-radius: 6px; padding: 6px 12px; }
.summary strong { font-size: 20px; }
.summary .protected { border-left-color: var(--ok); } .summary .at-risk { border-left-color: var(--warn); } .summary .unprotected { border-left-color: var(--bad); }
.legend .key { display: inline-block; width: 10px; height: 10px; margin-left: 8px; vertical-align: middle; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; vertical-align: top; padding: 8px; border-bottom: 1px solid var(--line); }
thead th { font-size: 12px; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); }
tbody th { font-weight: 600; min-width: 160px; } tbody th small { display: block; font-weight: 400; }
.badge { display: inline-block; border-radius: 12px; padding: 1px 10px; color: #fff; font-weight: 600; }
.badge.protected { background: var(--ok); } .badge.at-risk { background: var(--warn); } .badge.unprotected { background: var(--bad); }
.drill { margin: 6px 0 0; } .drill-failed strong, .drill-refused strong { color: #b3261e; }
.details, .standbys { margin: 4px 0 0; padding-left: 16px; } .standbys { padding-left: 0; list-style: none; }
.failure code { color: var(--bad); }
.platform.retired, .stv1 strong, .overdue, .outage strong { color: var(--bad); }
.age.late, .none { color: var(--bad); font-weight: 600; } .age.ok { color: var(--ok); font-weight: 600; }
.sync-behind, .sync-failed, .sync-never-restored, .sync-diverged { color: var(--warn); } .sync-in-sync { color: var(--ok); }
.timeline { width: 100%; min-width: 220px; height: 22px; display: block; }
.track { fill: #f6f8fa; stroke: var(--line); }
.window { fill: #dafbe1; } .key.window { background: #dafbe1; }
rect.succeeded { fill: var(--ok); } rect.failed { fill: var(--bad); } rect.expired { fill: #8c959f; } rect.running { fill: var(--run); }
.key.succeeded { background: var(--ok); } .key.failed { background: var(--bad); } .key.expired { background: #8c959f; } .key.running { background: var(--run); }
li.running { color: var(--run); }
.counts { font-size: 12px; color: var(--muted); }
details.group { margin: 12px 0; } details.group > summary { cursor: pointer; padding: 6px 0; font-size: 15px; }
details.group > summary code { font-size: 12px; color: var(--muted); }
@media print {
  body { padding: 0; font-size: 10pt; max-width: none; }
  details.group::details-content { content-visibility: visible; display: block; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  tr { break-inside: avoid; }
}
`;
