export { compileSkill, type DialogState, type Skill, type TurnInput, type TurnResult } from './skill.js';
export type { LogMessage } from './dialog.js';
export type { RuntimeEntity } from './runtime-entity.js';
