/** Faults the sandbox can inject into its ARM responses, to prove apim-dr survives them. */

export type FaultKind =
  /** An error answer; `code` and `message` replace the defaults (a 400 `InvalidParameters`, say). */
  | { kind: 'status'; status: 400 | 404 | 429 | 500 | 502 | 503 | 409; retryAfterSeconds?: number; code?: string; message?: string }
  | { kind: 'reset' }
  /** Process the request, then drop the connection instead of answering: the caller cannot know it worked. */
  | { kind: 'drop-response' };

export interface FaultRule {
  /** Which requests: HTTP method and a regular expression over the path. */
  method?: string;
  path: RegExp;
  fault: FaultKind;
  /** How many matching requests get the fault; then the rule is spent. */
  times: number;
  /** Only every `every`-th matching request gets it (a steady fault rate); default every one. */
  every?: number;
}

export class FaultPlan {
  private rules: (FaultRule & { seen: number })[] = [];
  readonly injected: { method: string; path: string; fault: FaultKind }[] = [];

  add(rule: FaultRule): void {
    this.rules.push({ ...rule, seen: 0 });
  }

  clear(): void {
    this.rules = [];
  }

  /** The fault for this request, if a rule matches; consumes one use of the rule. */
  take(method: string, path: string): FaultKind | undefined {
    for (const rule of this.rules) {
      if (rule.times <= 0 || (rule.method && rule.method !== method) || !rule.path.test(path)) continue;
      rule.seen += 1;
      if (rule.every && rule.seen % rule.every !== 0) continue;
      rule.times -= 1;
      this.injected.push({ method, path, fault: rule.fault });
      return rule.fault;
    }
    return undefined;
  }
}
