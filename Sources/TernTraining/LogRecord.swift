import Foundation

/// One line of a run's `log.jsonl`: a training interval or a validation.
struct LogRecord: Codable {
    var step: Int
    var epoch: Int?
    var trainLoss: Double?
    var learningRate: Double?
    var gradientNorm: Double?
    var tokensPerSecond: Double?
    var targetTokensSeen: Int?
    var validLoss: Double?
    var validBLEU: Double?
    var best: Bool?
    var elapsedSeconds: Double

    init(step: Int, epoch: Int, trainLoss: Double, learningRate: Double, gradientNorm: Double, tokensPerSecond: Double,
         targetTokensSeen: Int, elapsedSeconds: Double) {
        self.step = step
        self.epoch = epoch
        self.trainLoss = trainLoss
        self.learningRate = learningRate
        self.gradientNorm = gradientNorm
        self.tokensPerSecond = tokensPerSecond
        self.targetTokensSeen = targetTokensSeen
        self.elapsedSeconds = elapsedSeconds
    }

    init(step: Int, validLoss: Double, validBLEU: Double, best: Bool, elapsedSeconds: Double) {
        self.step = step
        self.validLoss = validLoss
        self.validBLEU = validBLEU
        self.best = best
        self.elapsedSeconds = elapsedSeconds
    }

    /// The line shown on standard error.
    func line(maxSteps: Int) -> String {
        if let validLoss, let validBLEU {
            return String(format: "step %d | valid loss %.3f | valid BLEU %.2f%@", step, validLoss, validBLEU, best == true ? " | best, exported" : "")
        }
        let rate = tokensPerSecond ?? 0
        let remaining = rate > 0 ? Double(maxSteps - step) * elapsedSeconds / Double(max(1, step)) : 0
        return String(format: "step %d/%d | epoch %d | loss %.3f | lr %.2e | %.0f tok/s | %.2fM tokens | ETA %@",
                      step, maxSteps, (epoch ?? 0) + 1, trainLoss ?? 0, learningRate ?? 0, rate,
                      Double(targetTokensSeen ?? 0) / 1e6, Self.duration(remaining))
    }

    static func duration(_ seconds: Double) -> String {
        let minutes = Int(seconds / 60)
        return minutes >= 60 ? "\(minutes / 60) h \(minutes % 60) min" : "\(minutes) min"
    }
}
