/// What one update measured; one JSON line each in `metrics.jsonl`.
///
///     {"grad_norm":1.2,"learning_rate":0.001,"loss":6.41,"metrics":{"mlm":6.41},"step":120,
///      "tokens_per_s":30211,"validation_loss":6.52,"validation_metrics":{"mlm":6.52}}
///
/// `loss` is the objective's total loss and `metrics` its named parts (masked-LM: `mlm`;
/// chapter 5's objectives add their own); `validation_loss` and `validation_metrics` appear
/// on the updates after which the validation set was evaluated. Lines written before the
/// named metrics existed have neither map and still read. `event` marks an update that ended
/// the run (`"stopped: non-finite loss"`); its numbers may be NaN or infinite, which
/// `metrics.jsonl` spells as strings (`MetricsLog`). Introduced in Chapter 1.
public struct StepMetrics: Codable, Equatable, Sendable {
    public var step: Int
    public var loss: Float
    public var metrics: [String: Float]
    public var learningRate: Float
    public var gradientNorm: Float
    public var tokensPerSecond: Double
    public var validationLoss: Float?
    public var validationMetrics: [String: Float]?
    /// Why the run stopped at this update, or nil.
    public var event: String?

    public init(step: Int, loss: Float, metrics: [String: Float] = [:], learningRate: Float, gradientNorm: Float,
                tokensPerSecond: Double, validationLoss: Float? = nil, validationMetrics: [String: Float]? = nil) {
        self.step = step; self.loss = loss; self.metrics = metrics; self.learningRate = learningRate
        self.gradientNorm = gradientNorm; self.tokensPerSecond = tokensPerSecond
        self.validationLoss = validationLoss; self.validationMetrics = validationMetrics
    }

    enum CodingKeys: String, CodingKey {
        case step, loss, metrics, learningRate = "learning_rate", gradientNorm = "grad_norm"
        case tokensPerSecond = "tokens_per_s", validationLoss = "validation_loss"
        case validationMetrics = "validation_metrics"
        case event
    }

    public init(from decoder: Swift.Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        step = try c.decode(Int.self, forKey: .step)
        loss = try c.decode(Float.self, forKey: .loss)
        metrics = try c.decodeIfPresent([String: Float].self, forKey: .metrics) ?? [:]
        learningRate = try c.decode(Float.self, forKey: .learningRate)
        gradientNorm = try c.decode(Float.self, forKey: .gradientNorm)
        tokensPerSecond = try c.decode(Double.self, forKey: .tokensPerSecond)
        validationLoss = try c.decodeIfPresent(Float.self, forKey: .validationLoss)
        validationMetrics = try c.decodeIfPresent([String: Float].self, forKey: .validationMetrics)
        event = try c.decodeIfPresent(String.self, forKey: .event)
    }

    public func encode(to encoder: Swift.Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(step, forKey: .step)
        try c.encode(loss, forKey: .loss)
        if !metrics.isEmpty { try c.encode(metrics, forKey: .metrics) }
        try c.encode(learningRate, forKey: .learningRate)
        try c.encode(gradientNorm, forKey: .gradientNorm)
        try c.encode(tokensPerSecond, forKey: .tokensPerSecond)
        try c.encodeIfPresent(validationLoss, forKey: .validationLoss)
        try c.encodeIfPresent(validationMetrics, forKey: .validationMetrics)
        try c.encodeIfPresent(event, forKey: .event)
    }
}
