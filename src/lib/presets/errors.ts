/** Typed errors of the preset catalogue. Each names the path of the bad field, what was expected and what was got. */

export class PresetError extends Error {
  override name = 'PresetError';
  readonly code: string;
  constructor(
    code: string,
    message: string,
  ) {
    super(message);
    this.code = code;
  }
}

export interface PresetIssue {
  /** e.g. `presets[2].program.frequencyDeciHz` */
  path: string;
  expected: string;
  got: string;
  message: string;
}

/** A preset file was refused. Nothing from it was imported. `path` is the first bad field. */
export class PresetImportError extends PresetError {
  override name = 'PresetImportError';
  readonly path: string;
  readonly expected: string;
  readonly got: string;
  readonly issues: readonly [PresetIssue, ...PresetIssue[]];
  constructor(issues: readonly [PresetIssue, ...PresetIssue[]]) {
    const first = issues[0];
    super('PRESET_FILE_INVALID', `${first.path || '(file)'}: ${first.message} (expected ${first.expected}, got ${first.got})${issues.length > 1 ? ` and ${issues.length - 1} more issue(s)` : ''}`);
    this.issues = issues;
    this.path = first.path;
    this.expected = first.expected;
    this.got = first.got;
  }
}

/**
 * A preset that may not run as it stands: `PLACEHOLDERS_LEFT` names every value the user has yet to
 * replace; `NEEDS_PERCUTANEOUS_OUTPUT` says the preset drives a percutaneous lead and the board has not
 * declared a percutaneous output. Refused before any plan is built, so nothing is sent or recorded.
 */
export class PresetNotRunnableError extends PresetError {
  override name = 'PresetNotRunnableError';
  readonly presetId: string;
  readonly fields: readonly string[];
  constructor(
    code: 'PLACEHOLDERS_LEFT' | 'NEEDS_PERCUTANEOUS_OUTPUT',
    presetId: string,
    fields: readonly string[],
    message: string,
  ) {
    super(code, message);
    this.presetId = presetId;
    this.fields = fields;
  }
}

/** A preset or programme id is unknown to the catalogue. */
export class PresetNotFoundError extends PresetError {
  override name = 'PresetNotFoundError';
  readonly id: string;
  constructor(id: string) {
    super('PRESET_NOT_FOUND', `no preset or programme with id "${id}"`);
    this.id = id;
  }
}

/**
 * An import was refused because the catalogue it would leave breaks a rule: a programme already in the
 * catalogue (or in the file) would, with the file's presets, plan more than the daily cap, overlap its
 * own sessions or lose a preset. Nothing from the file was imported. `programmeId` names the programme;
 * `issues` say which rule, with the path inside that programme.
 */
export class CatalogueRuleError extends PresetError {
  override name = 'CatalogueRuleError';
  readonly programmeId: string;
  readonly programmeName: string;
  readonly issues: readonly [PresetIssue, ...PresetIssue[]];
  constructor(
    programmeId: string,
    programmeName: string,
    issues: readonly [PresetIssue, ...PresetIssue[]],
  ) {
    const first = issues[0];
    super(
      'CATALOGUE_RULE',
      `import refused, nothing was imported: programme "${programmeName}" (${programmeId}) would break a rule with this file: ${first.path}: ${first.message} (expected ${first.expected}, got ${first.got})${issues.length > 1 ? ` and ${issues.length - 1} more issue(s)` : ''}`,
    );
    this.programmeId = programmeId;
    this.programmeName = programmeName;
    this.issues = issues;
  }
}
