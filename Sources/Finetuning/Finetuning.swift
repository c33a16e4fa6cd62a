// Module Finetuning: what downstream evaluation needs around the model — the GLUE task files
// in, the official metrics, and the leaderboard's submission files out.
//
// Introduced in Chapter 3. The path of one GLUE task:
//
//     GLUETask                  the nine tasks: files, columns, labels, metrics
//       → GLUEReader            a task folder's train / dev / test split as GLUEExamples
//       → (the fine-tuned model predicts a GLUELabel per example)
//       → GLUEDataset.evaluate  a MetricReport: accuracy, F1, MCC, Pearson, Spearman
//       → GLUESubmission        CoLA.tsv … WNLI.tsv in the leaderboard's `index  prediction` form
//
// The metric functions (accuracy, f1Score, matthewsCorrelation, pearsonCorrelation,
// spearmanCorrelation) work on plain arrays and can be used without the rest.
import Foundation
