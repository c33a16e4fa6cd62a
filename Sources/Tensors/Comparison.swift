/// How far a tensor is from a reference, relative to the reference's size:
/// `max |aᵢ − bᵢ| / max(‖b‖_∞, floor)`, and where the largest difference is.
///
///     let (error, index) = relativeDifference(logits, reference)
///     XCTAssertLessThanOrEqual(error, 1e-4, "logit \(index) differs")
///
/// Dividing by the reference's largest magnitude (not element by element) keeps entries
/// that are near zero from dominating; the floor only keeps an all-zero reference from
/// dividing by zero. Shapes must be equal. Reference tests against PyTorch fixtures use it.
/// Introduced in Chapter 1.
public func relativeDifference(_ a: Tensor, _ reference: Tensor, floor: Float = 1e-12) -> (error: Float, index: Int) {
    precondition(a.shape == reference.shape, "cannot compare \(a.shape) with \(reference.shape)")
    var scale = floor, worst: Float = 0, index = 0
    let pa = a.pointer, pb = reference.pointer
    for i in 0..<reference.count { scale = Swift.max(scale, abs(pb[i])) }
    for i in 0..<a.count {
        let d = abs(pa[i] - pb[i])
        if d > worst { worst = d; index = i }
    }
    return (worst / scale, index)
}
