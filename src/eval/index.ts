export { runEvaluation, loadPersonas, resultsTable, CRITERIA, type Persona, type PersonaResult, type Verdict } from './evaluation.js';
