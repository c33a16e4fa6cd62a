// Chapter 1 — Naive attention and the BERT-A baseline, trained for real.
//
// Run it with `make chapter1` (or `swift run chapter1`); `--quick` finishes in seconds.
// Everything it draws and records lands in out/chapter1/.
import Foundation
import Tensors
import Autograd
import Diagrams
import Text
import Notebook
import Transformer
import BertBaseline
import Catalog

runChapter(1, title: "Naive attention and the BERT-A baseline") { book, options in

book.prose("""
    BERT learns language by filling in blanks: hide 15% of the words of a sentence and ask
    the model for them. The model that answers is a stack of *attention* layers, and the
    three methods of this book (TUPE, TNF, MC-BERT) each make that pre-training cheaper by
    changing one part of it. Before changing anything we build the original, measure it,
    and train it for real on the corpus that ships with Tenfold.

    ## Scaled dot-product attention, by hand

    Each token i has a vector xᵢ. Attention lets every token look at every other: token i
    asks a *query* qᵢ = xᵢW^Q, every token j offers a *key* kⱼ = xⱼW^K and a *value*
    vⱼ = xⱼW^V. The logit of i looking at j is their dot product, scaled by √D so that its
    size does not grow with the head size D:

        αᵢⱼ = qᵢ·kⱼ / √D,     Pᵢ = softmax(αᵢ),     outᵢ = Σⱼ Pᵢⱼ vⱼ

    Three tokens, four-dimensional vectors, one head of size D = 2 — small enough to check
    with a pencil.
    """)

let three = ["the", "cat", "sat"]
try book.cell("attention on three tokens") { cell in
    // Rows are tokens: x₀ = "the", x₁ = "cat", x₂ = "sat".
    let X = Variable(Tensor(shape: [3, 4], scalars: [1, 0, 1, 0,
                                                      0, 2, 0, 1,
                                                      1, 1, 0, 1]), name: "X")
    let WQ = Variable(Tensor(shape: [4, 2], scalars: [1, 0, 0, 1, 1, 0, 0, 1]), name: "W^Q", role: .parameter)
    let WK = Variable(Tensor(shape: [4, 2], scalars: [0, 1, 1, 0, 0, 1, 1, 0]), name: "W^K", role: .parameter)
    let WV = Variable(Tensor(shape: [4, 2], scalars: [1, 1, 0, 1, 1, 0, 0, 0]), name: "W^V", role: .parameter)
    let Q = matmul(X, WQ), K = matmul(X, WK), V = matmul(X, WV)      // [3, 2] each
    let D: Float = 2
    let logits = matmul(Q, K, transposeB: true, alpha: 1 / D.squareRoot())   // [3, 3]
    let P = softmax(logits)                                                  // [3, 3]
    let out = matmul(P, V)                                                   // [3, 2]
    Q.label = "Q"; K.label = "K"; V.label = "V"; logits.label = "α = QKᵀ/√D"; P.label = "P"; out.label = "out"
    cell.show(logits.value, name: "α (logits)")
    cell.show(P.value, name: "P (rows sum to 1)")
    cell.show(out.value, name: "out")
    cell.table(["token", "looks most at", "weight"], rows: (0..<3).map { i in
        let row = (0..<3).map { P.value[i, $0] }
        let j = row.indices.max { row[$0] < row[$1] }!
        return [three[i], three[j], String(format: "%.3f", row[j])]
    })

    // A scalar to differentiate: ℓ = Σ outᵢⱼ. backward() fills ∂ℓ/∂W for every weight.
    let loss = sum(out)
    loss.label = "ℓ = Σ out"
    loss.backward(retainGraph: true)
    cell.show(WQ.gradient!, name: "∂ℓ/∂W^Q")
    let graph = loss.computationGraph(valuesUpTo: 12)
    try cell.figure("attention-graph", graph: graph,
                    options: GraphDiagramOptions(direction: .topToBottom, showsNorms: true, showsValues: true,
                                                 title: "Attention on three tokens: values and gradients", showsLegend: true),
                    caption: "The computation graph of one attention head, with each value and its gradient norm.")

    // Every gradient above is checked against finite differences of the same computation.
    var rng = SeededGenerator(seed: options.seed)
    let check = gradcheck(inputs: [WQ.value, WK.value, WV.value], using: &rng) { w in
        matmul(softmax(matmul(matmul(X, w[0]), matmul(X, w[1]), transposeB: true, alpha: 1 / D.squareRoot())), matmul(X, w[2]))
    }
    cell.print("backward vs finite differences: \(check.verdict())")
}

book.prose("""
    ## Multi-head attention

    One head computes one pattern of who-looks-at-whom. BERT runs A heads side by side, each
    on its own D = H/A slice: the projections are H×H matrices whose outputs are cut into A
    pieces, `[B, T, H] → [B, A, T, D]`; each head attends on its own; the A outputs are
    concatenated back to `[B, T, H]` and mixed by one more projection W^O.
    """)

try book.cell("two heads") { cell in
    let config = ModelConfiguration(vocabularySize: 16, hiddenSize: 4, layers: 1, heads: 2,
                                    feedForwardSize: 8, maxSequenceLength: 3, dropout: 0)
    let store = ParameterStore(seed: options.seed)
    let attention = MultiHeadAttention(store, "attention", hidden: 4, heads: 2, dropout: 0, std: 0.5)
    let X = Variable(Tensor(shape: [1, 3, 4], scalars: [1, 0, 1, 0, 0, 2, 0, 1, 1, 1, 0, 1]))
    cell.show(splitHeads(attention.query(X), heads: 2).value, name: "queries split into heads [B, A, T, D]")
    var noDropout: SeededGenerator? = nil
    let (P, out) = attention(X, scale: 1 / Float(config.headSize).squareRoot(), bias: nil,
                             keyLengths: [3], rng: &noDropout)
    cell.show(P, name: "P per head [B, A, T, T]")
    cell.show(out.value, name: "output [B, T, H]")
    let heads = try (0..<2).map { h in
        try Heatmap(values: Array(P.scalars[(h * 9)..<(h * 9 + 9)]), rows: 3, columns: 3,
                    rowLabels: three, columnLabels: three, title: "head \(h + 1)",
                    xLabel: "key j", yLabel: "query i", valueRange: 0...1, showsValues: true)
    }
    try cell.figure("two-heads", svg: HeatmapGrid(heads, title: "Attention probabilities of two heads").svg,
                    caption: "The same three tokens seen by two heads with different projections.")
}

book.prose("""
    ## BERT-A: the baseline every later chapter is measured against

    BERT-A is BERT with *absolute* positions (Docs/Methods/BERT.md). Word i's input is its word
    embedding plus a learned embedding of its position, normalised:

        x¹ᵢ = LN(wᵢ + pᵢ)

    then L post-LN layers, each `x ← LN(x + Attn(x))`, `x ← LN(x + FFN(x))`, with
    FFN(x) = GELU(xW₁ + b₁)W₂ + b₂. Position enters only through pᵢ, mixed into the words
    before the first layer — keep that in mind: chapter 2 expands what it does to attention.

    The masked-LM objective picks 15% of the tokens; 80% of those become [MASK], 10% a
    random token, 10% stay; the model predicts the originals. Its head is
    Linear → GELU → LN followed by hEᵀ + b, with E the *same* word-embedding table as the
    input (tied), evaluated only at the picked positions.

    ## The corpus and its tokens
    """)

let corpus = try book.cell("the embedded corpus") { cell -> Corpus in
    let corpus = try Corpus.load(options.corpus)
    let (training, validation) = corpus.split()
    cell.table(["source", "documents", "MB"], rows: corpus.sources.map { source in
        let documents = corpus.documents.filter { $0.source == source }
        return [source, "\(documents.count)", String(format: "%.2f", Double(documents.reduce(0) { $0 + $1.byteCount }) / 1e6)]
    }, caption: "\(training.documents.count) training and \(validation.documents.count) validation documents (split by document)")
    return corpus
}

let tokenizer = try book.cell("WordPiece tokens and masking") { cell -> WordPieceTokenizer in
    let tokenizer = try WordPieceTokenizer.embedded()
    let sentence = "The SQLite library reads the database file; nothing is unmentionable."
    cell.print("vocabulary: \(tokenizer.vocabulary.count) WordPiece tokens")
    cell.print(sentence)
    cell.print("→ " + tokenizer.tokens(sentence).joined(separator: " "))
    var rng = SeededGenerator(seed: options.seed)
    let ids = [tokenizer.vocabulary.clsId] + tokenizer.ids(sentence) + [tokenizer.vocabulary.sepId]
    let masked = MaskingPolicy.bert.apply(ids: ids, batchSize: 1, length: ids.count,
                                          vocabulary: tokenizer.vocabulary, using: &rng)
    cell.print("masked: " + masked.corruptedIds.map { tokenizer.vocabulary.tokens[Int($0)] }.joined(separator: " "))
    cell.print("to predict: " + zip(masked.positions, masked.labels).map { "\($0.0)→\(tokenizer.vocabulary.tokens[Int($0.1)])" }.joined(separator: ", "))
    return tokenizer
}

book.prose("""
    ## Pre-training, for real

    Now the whole model, trained with AdamW (decoupled weight decay 0.01, none on biases and
    LayerNorm), linear warm-up then linear decay, and gradient clipping at norm 1. The
    chapter's default is a miniature — two layers of width 128 on sequences of 64 tokens,
    600 updates of 32 sequences — so it trains in a minute or two on two cores (the paper's
    BERT-base is 12 layers of width 768 on 512 tokens for a million updates of 256);
    `--preset mini` is the benchmark size and `tenfold train` runs the same loop with
    checkpoints.

    The warm-up is not a detail. A post-LN Transformer first learns the unigram
    distribution and then sits on that plateau until attention learns to use the context.
    With 37 warm-up updates this miniature stayed on the plateau for all 600 updates; with
    100 it leaves it after about 200. Run the chapter again with `--seed 2` or `--seed 3`
    to see how the escape moves.

    What counts as learning? A model that ignores context can still guess frequent words:
    the *unigram baseline* is the loss of predicting every hidden token from its frequency
    in the training text. Only a model that reads the sentence gets below it.
    """)

let quick = options.quick
let presetName = options.presetName
var modelConfiguration = ModelConfiguration.preset(presetName, vocabularySize: tokenizer.vocabulary.count)!
if presetName == "chapter" { modelConfiguration.maxSequenceLength = 64 }
let steps = options.steps ?? (quick ? 8 : 600)
// A long warm-up matters for post-LN: with 37 warm-up updates this model stayed on the
// unigram plateau for all 600 updates; with 100 it leaves it after about 200.
var training = TrainingSettings(steps: steps, peakLearningRate: 2e-3, warmupSteps: max(1, min(100, steps / 4)),
                                validationInterval: max(1, steps / 8), checkpointInterval: steps, seed: options.seed)
training.maxGradientNorm = 1
let configuration = RunConfiguration(model: modelConfiguration, training: training,
                                     batchSize: quick ? 8 : 32, dataSeed: options.seed &+ 1, corpus: options.corpus)
let run = try book.cell("the BERT-A model") { cell -> PretrainingRun in
    let run = try PretrainingRun(configuration: configuration, registry: .standard,
                                 corpus: options.trainingCorpus(corpus),
                                 tokenizer: tokenizer, outputDirectory: book.outputDirectory.appendingPathComponent("run"))
    let m = modelConfiguration
    func count(_ prefix: String) -> Int {
        run.model.parameters.parameters.filter { $0.name.hasPrefix(prefix) }.reduce(0) { $0 + $1.variable.value.count }
    }
    cell.table(["part", "parameters"], rows: [
        ["embeddings (words, positions, LN)", "\(count("embeddings."))"],
        ["encoder (\(m.layers) layers)", "\(count("encoder."))"],
        ["MLM head (transform, LN, bias; E is shared)", "\(count("mlm."))"],
        ["total", "\(run.model.parameters.scalarCount)"],
    ], caption: "preset \(presetName): L=\(m.layers) H=\(m.hiddenSize) A=\(m.heads) F=\(m.feedForwardSize) T=\(m.maxSequenceLength)")
    return run
}

/// A few held-out sentences, one word hidden in each: from validation documents of every source.
let heldOut = corpus.split().validation
let blanks: [(text: String, answer: String)] = heldOut.sources.compactMap { source in
    let paragraphs = heldOut.documents.filter { $0.source == source }.flatMap(\.paragraphs)
    for paragraph in paragraphs {
        let words = paragraph.split(separator: " ").map(String.init)
        guard (8...24).contains(words.count) else { continue }
        // Hide a word of the middle that is one whole token of the vocabulary.
        for k in (words.count / 3)..<(2 * words.count / 3) {
            let word = words[k].lowercased()
            guard word.count >= 4, word.allSatisfy(\.isLetter), tokenizer.tokens(word) == [word] else { continue }
            var hidden = words
            hidden[k] = "[MASK]"
            return (hidden.joined(separator: " "), word)
        }
    }
    return nil
}

func predictionTable() throws -> [[String]] {
    try blanks.map { blank in
        let top = try fillMask(run.model, tokenizer: tokenizer, text: blank.text, topK: 3)[0]
        return [blank.text, blank.answer, top.map { String(format: "%@ (%.2f)", $0.token, $0.score) }.joined(separator: ", ")]
    }
}

try book.cell("fill in the blank, before training") { cell in
    cell.table(["held-out sentence", "answer", "top 3"], rows: try predictionTable())
    cell.print(String(format: "validation loss of the untrained model: %.3f (log V = %.3f: it guesses uniformly)",
                      run.trainer.validationLoss(), log(Float(tokenizer.vocabulary.count))))
}

try book.cell("pre-training") { cell in
    let progress = ProgressReporter(totalSteps: steps, logInterval: max(1, steps / 8))
    let history = try run.train(progress: progress)
    let final = history.last!
    cell.table(["", "cross-entropy (nats)"], rows: [
        ["unigram baseline", String(format: "%.3f", run.unigramBaseline)],
        ["BERT-A, validation, after \(steps) updates", String(format: "%.3f", final.validationLoss ?? .nan)],
        ["BERT-A, training batch, last update", String(format: "%.3f", final.loss)],
    ])
    cell.print(String(format: "%.0f tokens/s", final.tokensPerSecond))
    let validation = final.validationLoss ?? .nan
    cell.print(validation < run.unigramBaseline
        ? String(format: "The model reads context: its validation loss is %.3f nats below the unigram baseline.",
                 run.unigramBaseline - validation)
        : String(format: "The model has not left the unigram plateau: its validation loss is %.3f nats above the "
                 + "baseline.%@", validation - run.unigramBaseline,
                 quick ? " A --quick run is too short for that; the default run (600 updates) gets below it." : ""))
    try cell.figure("loss-curve", svg: run.lossCurve(title: "BERT-A masked-LM loss").svg,
                    caption: "Training and validation loss per update, with the unigram baseline.")
}

try book.cell("fill in the blank, after training") { cell in
    cell.table(["held-out sentence", "answer", "top 3"], rows: try predictionTable())
}

book.prose("""
    ## What we have

    A BERT-A pre-trained for real, in a minute or two, with every gradient checked against
    finite differences and against PyTorch (Tests/TransformerTests); whether it got below
    the unigram baseline is printed above. The same seed gives the same curve, bit for bit.
    Its checkpoint is in `out/chapter1/run/`; try `tenfold predict --checkpoint
    out/chapter1/run/checkpoint.safetensors --text "in the beginning god created the [MASK]"`.

    Next, chapter 2 opens up the first layer's attention logits and asks what the position
    embeddings pᵢ are doing in there.
    """)

book.prose("""
    ## Exercises

    Build what this chapter used, in `Exercises/chapter1/`, and check each with one command
    (`make hint N=…` when stuck, `make progress` for all of them):

    - **1.1** a numerically stable softmax of each row — `make exercise N=1.1`
    - **1.2** scaled dot-product attention, forward — `make exercise N=1.2`
    - **1.3** its backward pass, checked by finite differences and the engine's autograd — `make exercise N=1.3`
    - **1.4** one AdamW step, against the engine's optimiser — `make exercise N=1.4`
    """)
}
