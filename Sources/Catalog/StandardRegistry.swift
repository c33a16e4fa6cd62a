import Transformer
import BertBaseline
import ExpandedAttention
import UntiedAttention
import NoteTaking
import MetaController

extension ModelRegistry {
    /// Every method of the book by the name a configuration gives it — what `tenfold`, the
    /// chapters and checkpoint loading use:
    ///
    ///     let model = try ModelRegistry.standard.makeModel(config, seed: 1)
    ///
    /// | seam | names |
    /// | --- | --- |
    /// | positions | `bert-a` (chapter 1), `bert-ad` (chapter 2), `bert-r`, `tupe-a`, `tupe-r` (chapter 3) |
    /// | input | `none`, `notes` (chapter 4: TNF) |
    /// | objective | `mlm` (chapter 1), `electra`, `mc-bert` (chapter 5) |
    ///
    /// A chapter that adds a method adds its line here; nothing below its own module changes.
    /// Introduced in Chapter 1 (the seams).
    public static let standard = ModelRegistry.core
        .registering(positions: AbsolutePositions.name,
                     summary: "BERT-A: learned absolute positions added to the words (chapter 1)",
                     factory: AbsolutePositions.factory)
        .registering(positions: UntiedFourTermPositions.name,
                     summary: "BERT-A^d: all four word/position terms, positions with their own projections (chapter 2)",
                     factory: UntiedFourTermPositions.factory)
        .registering(positions: RelativePositions.name,
                     summary: "BERT-R: BERT-A plus T5's relative bias (chapter 3)",
                     factory: RelativePositions.factory)
        .registering(positions: UntiedPositions.absoluteName,
                     summary: "TUPE-A: positions untied from words, one positional term for all layers, [CLS] untied (chapter 3)",
                     factory: UntiedPositions.absoluteFactory)
        .registering(positions: UntiedPositions.relativeName,
                     summary: "TUPE-R: TUPE-A plus T5's relative bias (chapter 3)",
                     factory: UntiedPositions.relativeFactory)
        .registering(input: NoteTaking.name,
                     summary: "TNF: notes on rare words mixed into their input, taken from the final states (chapter 4)",
                     factory: NoteTaking.factory)
        .registering(objective: ELECTRA.name,
                     summary: "ELECTRA: a small generator fills the masked positions, the model tells replaced tokens (chapter 5)",
                     factory: ELECTRA.factory)
        .registering(objective: MCBERT.name,
                     summary: "MC-BERT: a meta controller corrupts and proposes 10 candidates, the model picks the original or none (chapter 5)",
                     factory: MCBERT.factory)
}
