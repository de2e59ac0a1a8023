/**
 * The tabular calibration loop: a parameter space over generator choice and settings
 * (settingsSpace), one evaluation = generate, project, measure against train with holdout floors, gate
 * (evaluation), three strategies with one budget and seed (strategies: constrained BO on the engine's
 * GPs, the users' rule-based retry loop, random search), the diagnosis of a failed winner (diagnose), and
 * the report (report). The command line runs it to the end (runCalibration); the page steps it (openCalibration) with its history in storage.
 */
export { openCalibration, type CalibrationSession, type CalibrationStop, type SessionStep } from './calibrationSession';
export { calibrateTable, runCalibration, DEFAULT_BUDGET, type CalibrationEvent, type CalibrationInput, type CalibrationResult, type CalibrationSetup } from './runCalibration';
export { STRATEGY_NAMES, initialCount, type StrategyName } from './strategies';
export { GENERATOR_NAMES, canonicalSettings, defaultSettings, describeSettings, settingsContext, settingsSpace, shortNumber, type GeneratorName, type SettingsContext } from './settingsSpace';
export { evaluateSettings, type Evaluation, type EvaluationOrigin, type EvaluationRequest } from './evaluation';
export { isBetter, SELECTION_RULE } from './selection';
export { modelledGates, toObservations } from './observations';
export { FAILURE_TYPES, FAILURE_TYPE_OF, failureGroups, type FailureType, type FailedGate, type FailureGroup } from './failureTypes';
export { handRule, type RuleChange } from './handRules';
export { diagnose, type Failure, type SuggestedSettings } from './diagnose';
export { gateConstraint, gateValue, shortfall } from './gateConstraints';
export { calibrationReport, reportJson, type ReportInput } from './report';
