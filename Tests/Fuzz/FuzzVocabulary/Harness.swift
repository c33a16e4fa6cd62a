import Foundation
import FuzzSupport
import Text

/// libFuzzer harness: the vocab.txt reader (encodings, line ends, byte-order mark, blank and
/// duplicate lines, the special tokens), then the tokenizer built from what it accepts,
/// encoding the file's own text. Errors are passes; traps and ids out of range are not.
///
/// Built as `FuzzSafetensors` is (see there); replays Tests/Fuzz/Corpora/vocabulary.
func fuzz(_ bytes: UnsafeRawBufferPointer) {
    let data = Data(bytes)
    guard let vocabulary = try? Vocabulary(fileContents: data, origin: "fuzz/vocab.txt") else { return }
    precondition(vocabulary.count == vocabulary.ids.count && vocabulary.isSpecial.count == vocabulary.count)
    let tokenizer = WordPieceTokenizer(vocabulary: vocabulary)
    let encoding = tokenizer.encode(DecodedText(bytes: data).text)
    precondition(encoding.ids.allSatisfy { $0 >= 0 && Int($0) < vocabulary.count }, "an id outside the vocabulary")
}

@main
enum Harness {
    static func main() { runFuzzHarness(fuzz) }
}
