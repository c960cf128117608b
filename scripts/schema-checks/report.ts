import type { CheckReport } from './index';

const count = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;

function summary(r: CheckReport) {
  const by = (s: string) => r.changes.filter((c) => c.severity === s);
  const intended = by('breaking').filter((c) => c.intended).length;
  return `${by('breaking').length} breaking (${intended} intended), ${by('dangerous').length} dangerous, ${by('safe').length} safe`;
}

/** The report for a terminal: what fails or needs a look in full, safe changes as a count. */
export function textReport(r: CheckReport, baseline: string): string {
  const lines = [`Schema check against ${baseline}`, `Changes: ${summary(r)}`];
  for (const c of r.changes.filter((c) => c.severity !== 'safe')) {
    const label = c.severity === 'breaking' ? (c.intended ? 'BREAKING (intended)' : 'BREAKING') : 'DANGEROUS';
    lines.push(`  ${label} ${c.type} ${c.path}: ${c.message}`);
    if (c.intended) lines.push(`    reason: ${c.intended}`);
    if (c.hits.length) lines.push(`    hits: ${c.hits.join(', ')}`);
  }
  for (const i of r.unusedIntents) lines.push(`  note: intended change ${i.type} ${i.path} matches no change; delete it`);
  lines.push(`Operations: ${count(r.operationCount, 'operation')} checked, ${count(r.operationProblems.length, 'problem')}`);
  for (const p of r.operationProblems) lines.push(`  ${p.severity === 'error' ? 'ERROR' : 'warning'} ${p.operation}: ${p.message}`);
  lines.push(`Subgraph lint: ${count(r.lint.length, 'problem')}`);
  for (const p of r.lint) lines.push(`  ${p.at} ${p.coordinate} ${p.message}`);
  lines.push(`Composition: ${r.composition.length ? count(r.composition.length, 'error or hint') : 'no errors, no hints'}`);
  for (const c of r.composition) lines.push(`  ${c}`);
  lines.push(r.failures.length ? `FAIL: ${count(r.failures.length, 'problem')}` : 'PASS');
  return lines.join('\n');
}

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const code = (s: string) => (s ? `\`${s}\`` : '');

/** The same report as Markdown, for a pull-request comment; safe changes folded away. */
export function markdownReport(r: CheckReport, baseline: string): string {
  const out = [`## Schema check: ${r.failures.length ? `fails (${count(r.failures.length, 'problem')})` : 'passes'}`, '', `Against \`${baseline}\`: ${summary(r)}.`, ''];
  const table = (rows: CheckReport['changes']) => [
    '| severity | change | path | what | operations hit |',
    '| --- | --- | --- | --- | --- |',
    ...rows.map(
      (c) =>
        `| ${c.severity}${c.intended ? ` (intended: ${cell(c.intended)})` : ''} | ${code(c.type)} | ${code(c.path)} | ${cell(c.message)} | ${cell(c.hits.join(', ')) || 'none'} |`,
    ),
  ];
  const notSafe = r.changes.filter((c) => c.severity !== 'safe');
  if (notSafe.length) out.push(...table(notSafe), '');
  const safe = r.changes.filter((c) => c.severity === 'safe');
  if (safe.length) out.push(`<details><summary>${count(safe.length, 'safe change')}</summary>`, '', ...table(safe), '', '</details>', '');
  for (const i of r.unusedIntents) out.push(`- Recorded intended change ${code(i.type)} ${code(i.path)} matches no change: delete it.`);
  out.push(`### Operations: ${count(r.operationCount, 'operation')} checked`, '');
  out.push(...(r.operationProblems.length ? r.operationProblems.map((p) => `- ${p.severity === 'error' ? '**error**' : 'warning'} ${code(p.operation)}: ${p.message}`) : ['Every operation validates.']), '');
  out.push('### Subgraph lint', '');
  out.push(...(r.lint.length ? r.lint.map((p) => `- ${code(p.at)} ${code(p.coordinate)} ${p.message}`) : ['No problems.']), '');
  out.push('### Composition', '');
  out.push(...(r.composition.length ? r.composition.map((c) => `- ${c}`) : ['No errors, no hints.']), '');
  return out.join('\n');
}
