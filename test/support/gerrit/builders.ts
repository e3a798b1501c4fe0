/** Typed builders for the Gerrit stand-in's fixtures: `aChange().number(12345).patchsets(5)…`. */
import type { ChangeStatus } from '../../../src/core/gerrit/types';

export interface AccountSpec {
  readonly id: number;
  readonly name: string;
  readonly email: string;
  readonly username: string;
}

export interface ChangeSpec {
  readonly number: number;
  readonly project: string;
  readonly branch: string;
  readonly topic?: string;
  readonly subject: string;
  readonly status: ChangeStatus;
  readonly owner: AccountSpec;
  readonly patchsets: number;
  /** Visible only to signed-in users (anonymous reads get 404, as Gerrit hides it). */
  readonly private: boolean;
}

export const ALICE: AccountSpec = { id: 1000096, name: 'Alice Example', email: 'alice@example.org', username: 'alice' };
export const BOB: AccountSpec = { id: 1000097, name: "Bob O'Neil-Ström", email: 'bob@example.org', username: 'bob' };

export class ChangeBuilder {
  private spec: ChangeSpec = {
    number: 10000,
    project: 'openstack/heat',
    branch: 'master',
    subject: 'Fix the thing',
    status: 'NEW',
    owner: ALICE,
    patchsets: 1,
    private: false,
  };

  number(value: number): this {
    return this.with({ number: value });
  }
  project(value: string): this {
    return this.with({ project: value });
  }
  branch(value: string): this {
    return this.with({ branch: value });
  }
  topic(value: string): this {
    return this.with({ topic: value });
  }
  subject(value: string): this {
    return this.with({ subject: value });
  }
  owner(value: AccountSpec): this {
    return this.with({ owner: value });
  }
  patchsets(value: number): this {
    return this.with({ patchsets: value });
  }
  merged(): this {
    return this.with({ status: 'MERGED' });
  }
  abandoned(): this {
    return this.with({ status: 'ABANDONED' });
  }
  privateChange(): this {
    return this.with({ private: true });
  }
  build(): ChangeSpec {
    if (this.spec.patchsets < 1) throw new Error('A change has at least one patchset.');
    return this.spec;
  }

  private with(part: Partial<ChangeSpec>): this {
    this.spec = { ...this.spec, ...part };
    return this;
  }
}

export function aChange(): ChangeBuilder {
  return new ChangeBuilder();
}

/** The fixtures the tests share: 5 patchsets, merged, abandoned, on stable/2025.1, private. */
export function standardFixtures(): ChangeSpec[] {
  return [
    aChange().number(12345).subject('Make stacks faster').topic('bug/2000001').patchsets(5).build(),
    aChange().number(12346).subject('Already merged fix').patchsets(2).merged().build(),
    aChange().number(12347).subject('Abandoned idea').owner(BOB).patchsets(1).abandoned().build(),
    aChange().number(12348).subject('Backport: make stacks faster').branch('stable/2025.1').owner(BOB).patchsets(2).build(),
    aChange().number(12349).subject('Security fix under embargo').patchsets(1).privateChange().build(),
    aChange().number(7).subject('Small change number').patchsets(1).build(),
  ];
}
