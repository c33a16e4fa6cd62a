// Module Text: everything between a folder of plain text and a masked batch of token ids.
//
// Introduced in Chapter 1 (Text pipeline). The path a training step's data takes:
//
//     Corpus / TextDirectoryStream        documents of paragraphs, with a source label
//       → BertPreTokenizer                lower-cased, accent-stripped words and punctuation
//       → WordPieceTokenizer              token ids, and the word each token belongs to
//       → SequencePacker                  [CLS] whole sentences … [SEP], at most T tokens
//       → Batcher                         B sequences padded to T, with an attention mask
//       → MaskingPolicy                   corrupted ids, predicted positions, labels
//
// WordPieceTrainer builds the vocabulary; WordFrequencies counts words before sub-word
// splitting (Chapter 4's note dictionary needs them).
