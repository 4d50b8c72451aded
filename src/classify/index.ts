/**
 * Mend's trained text classifiers: hashed word and character n-gram features, linear softmax
 * heads, one trainer and one loader for the safety screen and the guided coach alike. Low in
 * the layering: it imports nothing of Mend's. Models are trained by scripts/train.ts from
 * training/ and kept in models/.
 */
export { TextClassifier, loadClassifier, ClassifierFile, ClassifierFileError, type HeadPrediction } from './text-classifier.js';
export { train, dataHash, mulberry32, shuffle, type Example, type HeadSpec, type TrainOptions } from './trainer.js';
export { featuresOf, wordsOf, type FeatureConfig } from './text-features.js';
export { evaluateHead, type HeadReport } from './evaluation.js';
export { readJsonLines, jsonlFiles, TrainingDataError } from './jsonl.js';
