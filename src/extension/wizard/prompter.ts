import * as vscode from 'vscode';

export interface PickItem<T> extends vscode.QuickPickItem {
  readonly value: T;
}

/** Thrown when the user presses the Back button: the wizard goes one step back. */
export class WizardBack extends Error {
  constructor() {
    super('back');
    this.name = 'WizardBack';
  }
}

export interface StepInfo {
  readonly title: string;
  readonly step: number;
  readonly totalSteps: number;
}

/**
 * What a wizard asks. The VS Code implementation shows quick picks with a Back button and a step
 * counter; tests swap in scripted answers through the extension's exports.
 */
export interface Prompter {
  /** undefined: cancelled (Escape). Throws WizardBack on Back. */
  pick<T>(info: StepInfo, items: readonly PickItem<T>[], placeholder: string): Promise<T | undefined>;
  input(info: StepInfo, prompt: string, value: string, validate: (value: string) => string | undefined, options?: InputOptions): Promise<string | undefined>;

  /** A modal yes/no before something destructive: true only when `action` was chosen. */
  confirm(message: string, detail: string, action: string): Promise<boolean>;
}

export interface InputOptions {
  /** Hide what is typed (passwords). */
  readonly password?: boolean;
}

export class QuickInputPrompter implements Prompter {
  pick<T>(info: StepInfo, items: readonly PickItem<T>[], placeholder: string): Promise<T | undefined> {
    const quickPick = vscode.window.createQuickPick<PickItem<T>>();
    quickPick.title = info.title;
    quickPick.step = info.step;
    quickPick.totalSteps = info.totalSteps;
    quickPick.placeholder = placeholder;
    quickPick.items = items;
    quickPick.ignoreFocusOut = true;
    quickPick.buttons = info.step > 1 ? [vscode.QuickInputButtons.Back] : [];
    return new Promise<T | undefined>((resolve, reject) => {
      quickPick.onDidTriggerButton(() => {
        reject(new WizardBack());
        quickPick.dispose();
      });
      quickPick.onDidAccept(() => {
        resolve(quickPick.selectedItems[0]?.value);
        quickPick.dispose();
      });
      quickPick.onDidHide(() => {
        resolve(undefined);
        quickPick.dispose();
      });
      quickPick.show();
    });
  }

  input(info: StepInfo, prompt: string, value: string, validate: (value: string) => string | undefined, options: InputOptions = {}): Promise<string | undefined> {
    const box = vscode.window.createInputBox();
    box.password = options.password === true;
    box.title = info.title;
    box.step = info.step;
    box.totalSteps = info.totalSteps;
    box.prompt = prompt;
    box.value = value;
    box.ignoreFocusOut = true;
    box.buttons = info.step > 1 ? [vscode.QuickInputButtons.Back] : [];
    return new Promise<string | undefined>((resolve, reject) => {
      box.onDidTriggerButton(() => {
        reject(new WizardBack());
        box.dispose();
      });
      box.onDidChangeValue((text) => (box.validationMessage = validate(text)));
      box.onDidAccept(() => {
        const problem = validate(box.value);
        if (problem) {
          box.validationMessage = problem;
          return;
        }
        resolve(box.value);
        box.dispose();
      });
      box.onDidHide(() => {
        resolve(undefined);
        box.dispose();
      });
      box.show();
    });
  }

  async confirm(message: string, detail: string, action: string): Promise<boolean> {
    return (await vscode.window.showWarningMessage(message, { modal: true, detail }, action)) === action;
  }
}

/**
 * Runs wizard steps in order; Back re-runs the previous step. Each step returns false to cancel.
 * Steps are functions over a shared state object, so Back keeps what was already answered.
 */
export async function runWizard(steps: readonly (() => Promise<boolean>)[]): Promise<boolean> {
  let index = 0;
  while (index < steps.length) {
    try {
      if (!(await steps[index]!())) return false;
      index++;
    } catch (error) {
      if (!(error instanceof WizardBack)) throw error;
      index = Math.max(0, index - 1);
    }
  }
  return true;
}
