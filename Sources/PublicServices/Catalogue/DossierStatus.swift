import EGovCore

/// The statuses a dossier can have (the API contract lists exactly these).
public enum DossierStatus: String, Codable, Sendable, CaseIterable {
    case submitted, received, processing
    case waitingSupplement = "waiting-supplement"
    case waitingPayment = "waiting-payment"
    case resultReady = "result-ready"
    case done, refused, withdrawn

    public var label: LocalizedText {
        switch self {
        case .submitted: LocalizedText(vi: "Đã nộp, chờ tiếp nhận", en: "Submitted")
        case .received: LocalizedText(vi: "Đã tiếp nhận", en: "Received")
        case .processing: LocalizedText(vi: "Đang xử lý", en: "Processing")
        case .waitingSupplement: LocalizedText(vi: "Chờ bổ sung hồ sơ", en: "Waiting for a supplement")
        case .waitingPayment: LocalizedText(vi: "Chờ nộp phí, lệ phí", en: "Waiting for payment")
        case .resultReady: LocalizedText(vi: "Đã có kết quả", en: "Result ready")
        case .done: LocalizedText(vi: "Đã trả kết quả", en: "Done")
        case .refused: LocalizedText(vi: "Từ chối giải quyết", en: "Refused")
        case .withdrawn: LocalizedText(vi: "Đã rút hồ sơ", en: "Withdrawn")
        }
    }
}
