import Foundation
import FuzzSupport
import Text

/// libFuzzer harness: decoding (invalid UTF-8 replaced), BERT normalisation and
/// pre-tokenisation, and WordPiece encoding with the embedded 8 192-token vocabulary, on
/// arbitrary bytes. Checks what must always hold: every id in the vocabulary, word spans in
/// order and inside the ids, and the fast path (`ids`) equal to the full one (`encode`).
///
/// Built as `FuzzSafetensors` is (see there); replays Tests/Fuzz/Corpora/tokenizer.
let tokenizer: WordPieceTokenizer = {
    do { return try WordPieceTokenizer.embedded() } catch { fatalError("the embedded vocabulary: \(error)") }
}()

func fuzz(_ bytes: UnsafeRawBufferPointer) {
    let text = DecodedText(bytes: bytes).text
    let encoding = tokenizer.encode(text)
    let count = Int32(tokenizer.vocabulary.count)
    precondition(encoding.ids.allSatisfy { $0 >= 0 && $0 < count }, "an id outside the vocabulary")
    var previousEnd: Int32 = 0
    for span in encoding.wordSpans {
        precondition(span.start >= previousEnd && span.start <= span.end && Int(span.end) <= encoding.ids.count,
                     "word span \(span) out of order")
        previousEnd = span.end
    }
    precondition(tokenizer.ids(text) == encoding.ids, "ids(_:) and encode(_:) disagree")
}

@main
enum Harness {
    static func main() { runFuzzHarness(fuzz) }
}
