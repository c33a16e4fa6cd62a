import Foundation
import Tensors
import Transformer

/// BERT-A in Hugging Face's `BertForMaskedLM` layout, so `transformers` can load a Tenfold
/// checkpoint.
///
///     let tensors = try HuggingFaceExport.bertForMaskedLM(model)      // HF name → tensor
///     let config = HuggingFaceExport.configJSON(model.config)          // config.json text
///
/// The mapping (Tenfold → Hugging Face): Linear weights are stored `[in, out]` here and
/// `[out, in]` there, so they are transposed; LayerNorm γ/β become `weight`/`bias`. BERT-A
/// has no segment embeddings (Docs/Methods/BERT.md), so the export adds an all-zero token-type
/// table with one row, which leaves every sum unchanged. The decoder weight is the word
/// embedding table (tied) and the decoder bias is `cls.predictions.bias`; `transformers`
/// ties both on load. Introduced in Chapter 1.
public enum HuggingFaceExport {
    public static func bertForMaskedLM(_ model: PretrainingModel) throws -> [String: Tensor] {
        guard model.config.positions == AbsolutePositions.name else {
            throw ConfigurationError(message: "only BERT-A checkpoints have a Hugging Face BertForMaskedLM form; this one's position scheme is '\(model.config.positions)'")
        }
        guard model.maskedLanguageModel != nil else {
            throw ConfigurationError(message: "BertForMaskedLM needs a masked-LM head; this checkpoint was trained with the objective '\(model.config.objective)'")
        }
        let values = model.parameters.values
        func value(_ name: String) -> Tensor { values[name]! }
        func linear(_ tenfold: String, _ hf: String, into out: inout [String: Tensor]) {
            out["\(hf).weight"] = permuted(value("\(tenfold).weight"), [1, 0])
            out["\(hf).bias"] = value("\(tenfold).bias")
        }
        func norm(_ tenfold: String, _ hf: String, into out: inout [String: Tensor]) {
            out["\(hf).weight"] = value("\(tenfold).gamma")
            out["\(hf).bias"] = value("\(tenfold).beta")
        }
        var out: [String: Tensor] = [:]
        out["bert.embeddings.word_embeddings.weight"] = value("embeddings.word")
        out["bert.embeddings.position_embeddings.weight"] = value("embeddings.position")
        out["bert.embeddings.token_type_embeddings.weight"] = Tensor.zeros([1, model.config.hiddenSize])
        norm("embeddings.norm", "bert.embeddings.LayerNorm", into: &out)
        for l in 0..<model.config.layers {
            let t = "encoder.layer.\(l)", h = "bert.encoder.layer.\(l)"
            linear("\(t).attention.query", "\(h).attention.self.query", into: &out)
            linear("\(t).attention.key", "\(h).attention.self.key", into: &out)
            linear("\(t).attention.value", "\(h).attention.self.value", into: &out)
            linear("\(t).attention.output", "\(h).attention.output.dense", into: &out)
            norm("\(t).attention_norm", "\(h).attention.output.LayerNorm", into: &out)
            linear("\(t).ffn.intermediate", "\(h).intermediate.dense", into: &out)
            linear("\(t).ffn.output", "\(h).output.dense", into: &out)
            norm("\(t).output_norm", "\(h).output.LayerNorm", into: &out)
        }
        linear("mlm.transform", "cls.predictions.transform.dense", into: &out)
        norm("mlm.norm", "cls.predictions.transform.LayerNorm", into: &out)
        out["cls.predictions.bias"] = value("mlm.bias")
        out["cls.predictions.decoder.weight"] = value("embeddings.word")
        out["cls.predictions.decoder.bias"] = value("mlm.bias")
        return out
    }

    /// `config.json` for `BertForMaskedLM` with this model's sizes.
    public static func configJSON(_ c: ModelConfiguration) -> String {
        let fields: [(String, String)] = [
            ("architectures", "[\"BertForMaskedLM\"]"), ("model_type", "\"bert\""),
            ("vocab_size", "\(c.vocabularySize)"), ("hidden_size", "\(c.hiddenSize)"),
            ("num_hidden_layers", "\(c.layers)"), ("num_attention_heads", "\(c.heads)"),
            ("intermediate_size", "\(c.feedForwardSize)"), ("hidden_act", "\"gelu\""),
            ("hidden_dropout_prob", "\(c.dropout)"), ("attention_probs_dropout_prob", "\(c.dropout)"),
            ("max_position_embeddings", "\(c.maxSequenceLength)"), ("type_vocab_size", "1"),
            ("initializer_range", "\(c.initializerStd)"), ("layer_norm_eps", "\(c.layerNormEpsilon)"),
            ("pad_token_id", "0"), ("position_embedding_type", "\"absolute\""),
            ("tie_word_embeddings", "true"),
        ]
        return "{\n" + fields.map { "  \"\($0.0)\": \($0.1)" }.joined(separator: ",\n") + "\n}\n"
    }

    /// `tokenizer_config.json`: BERT's uncased WordPiece tokenizer (lower-casing and accent
    /// stripping, as Tenfold's normaliser).
    public static let tokenizerConfigJSON = """
        {
          "tokenizer_class": "BertTokenizer",
          "do_lower_case": true,
          "strip_accents": true,
          "tokenize_chinese_chars": true,
          "unk_token": "[UNK]", "sep_token": "[SEP]", "pad_token": "[PAD]",
          "cls_token": "[CLS]", "mask_token": "[MASK]"
        }

        """
}
