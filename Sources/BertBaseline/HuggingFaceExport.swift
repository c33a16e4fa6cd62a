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
        guard let head = model.maskedLanguageModel else {
            throw ConfigurationError(message: "BertForMaskedLM needs a masked-LM head; this checkpoint was trained with the objective '\(model.config.objective)'")
        }
        var out = try bertEncoder(model.encoder)
        let values = model.parameters.values
        linear(values, "mlm.transform", "cls.predictions.transform.dense", into: &out)
        norm(values, "mlm.norm", "cls.predictions.transform.LayerNorm", into: &out)
        out["cls.predictions.bias"] = head.outputBias.value
        out["cls.predictions.decoder.weight"] = model.encoder.wordEmbeddings.value
        out["cls.predictions.decoder.bias"] = head.outputBias.value
        return out
    }

    /// A BERT-A encoder under Hugging Face's `bert.embeddings.*` and `bert.encoder.*` names —
    /// the part every `Bert…` model class shares.
    ///
    /// - Throws: `ConfigurationError` when the encoder's positions are not BERT-A's.
    public static func bertEncoder(_ encoder: Encoder) throws -> [String: Tensor] {
        guard encoder.config.positions == AbsolutePositions.name, encoder.inputProjection == nil else {
            throw ConfigurationError(message: "only BERT-A encoders have a Hugging Face BERT form; this one's position scheme is '\(encoder.config.positions)'")
        }
        // The encoder's own parameters by their names within it (a second network's carry a
        // prefix such as "generator.").
        let prefix = String(encoder.embeddingNorm.gamma.name.dropLast("embeddings.norm.gamma".count))
        var values: [String: Tensor] = ["embeddings.word": encoder.wordEmbeddings.value]
        var own = [encoder.embeddingNorm.gamma, encoder.embeddingNorm.beta]
        if let table = (encoder.positions as? AbsolutePositions)?.table { own.append(table) }
        for layer in encoder.layers {
            let a = layer.attention
            for linear in [a.query, a.key, a.value, a.output, layer.feedForward.intermediate, layer.feedForward.output] {
                own += [linear.weight, linear.bias]
            }
            for norm in [layer.attentionNorm, layer.outputNorm] { own += [norm.gamma, norm.beta] }
        }
        for variable in own { values[String(variable.name.dropFirst(prefix.count))] = variable.value }
        var out: [String: Tensor] = [:]
        out["bert.embeddings.word_embeddings.weight"] = values["embeddings.word"]
        out["bert.embeddings.position_embeddings.weight"] = values["embeddings.position"]
        out["bert.embeddings.token_type_embeddings.weight"] = Tensor.zeros([1, encoder.config.hiddenSize])
        norm(values, "embeddings.norm", "bert.embeddings.LayerNorm", into: &out)
        for l in 0..<encoder.config.layers {
            let t = "encoder.layer.\(l)", h = "bert.encoder.layer.\(l)"
            linear(values, "\(t).attention.query", "\(h).attention.self.query", into: &out)
            linear(values, "\(t).attention.key", "\(h).attention.self.key", into: &out)
            linear(values, "\(t).attention.value", "\(h).attention.self.value", into: &out)
            linear(values, "\(t).attention.output", "\(h).attention.output.dense", into: &out)
            norm(values, "\(t).attention_norm", "\(h).attention.output.LayerNorm", into: &out)
            linear(values, "\(t).ffn.intermediate", "\(h).intermediate.dense", into: &out)
            linear(values, "\(t).ffn.output", "\(h).output.dense", into: &out)
            norm(values, "\(t).output_norm", "\(h).output.LayerNorm", into: &out)
        }
        return out
    }

    /// A Linear layer: Tenfold's `[in, out]` weight transposed to Hugging Face's `[out, in]`.
    public static func linear(_ values: [String: Tensor], _ tenfold: String, _ hf: String, into out: inout [String: Tensor]) {
        out["\(hf).weight"] = permuted(values["\(tenfold).weight"]!, [1, 0])
        out["\(hf).bias"] = values["\(tenfold).bias"]!
    }

    /// A LayerNorm: γ, β become `weight`, `bias`.
    static func norm(_ values: [String: Tensor], _ tenfold: String, _ hf: String, into out: inout [String: Tensor]) {
        out["\(hf).weight"] = values["\(tenfold).gamma"]!
        out["\(hf).bias"] = values["\(tenfold).beta"]!
    }

    /// `config.json` for `BertForMaskedLM` (or another `architecture` with its `extra`
    /// fields) with this model's sizes.
    public static func configJSON(_ c: ModelConfiguration, architecture: String = "BertForMaskedLM",
                                  extra: [(String, String)] = []) -> String {
        let fields: [(String, String)] = [
            ("architectures", "[\"\(architecture)\"]"), ("model_type", "\"bert\""),
            ("vocab_size", "\(c.vocabularySize)"), ("hidden_size", "\(c.hiddenSize)"),
            ("num_hidden_layers", "\(c.layers)"), ("num_attention_heads", "\(c.heads)"),
            ("intermediate_size", "\(c.feedForwardSize)"), ("hidden_act", "\"gelu\""),
            ("hidden_dropout_prob", "\(c.dropout)"), ("attention_probs_dropout_prob", "\(c.dropout)"),
            ("max_position_embeddings", "\(c.maxSequenceLength)"), ("type_vocab_size", "1"),
            ("initializer_range", "\(c.initializerStd)"), ("layer_norm_eps", "\(c.layerNormEpsilon)"),
            ("pad_token_id", "0"), ("position_embedding_type", "\"absolute\""),
            ("tie_word_embeddings", "true"),
        ] + extra
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
