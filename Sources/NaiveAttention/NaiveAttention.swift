// Module NaiveAttention: BERT-A (chapter 1).
