/// How urgent a document is (độ khẩn, Decree 30/2020): normal, Khẩn, Thượng khẩn, Hỏa tốc. The raw values
/// are the API's; `edXMLPriority` is edXML's `OtherInfo/Priority` [M: 0 normal, 1 khẩn, 2 thượng khẩn,
/// 3 hỏa tốc; 4, hỏa tốc hẹn giờ, is read as hỏa tốc].
public enum DocumentUrgency: String, Sendable, Hashable, Codable, CaseIterable {
    case normal
    case urgent = "khan"
    case veryUrgent = "thuong-khan"
    case flash = "hoa-toc"

    public var label: LocalizedText {
        switch self {
        case .normal: LocalizedText(vi: "Thường", en: "Normal")
        case .urgent: LocalizedText(vi: "Khẩn", en: "Urgent")
        case .veryUrgent: LocalizedText(vi: "Thượng khẩn", en: "Very urgent")
        case .flash: LocalizedText(vi: "Hỏa tốc", en: "Flash")
        }
    }

    public var edXMLPriority: Int {
        switch self {
        case .normal: 0
        case .urgent: 1
        case .veryUrgent: 2
        case .flash: 3
        }
    }

    public init?(edXMLPriority: Int) {
        switch edXMLPriority {
        case 0: self = .normal
        case 1: self = .urgent
        case 2: self = .veryUrgent
        case 3, 4: self = .flash
        default: return nil
        }
    }
}

/// How secret a document is (độ mật): none, Mật, Tối mật, Tuyệt mật [R]. Classified documents are numbered in
/// a series of their own (Decree 30/2020 art. 15).
public enum DocumentConfidentiality: String, Sendable, Hashable, Codable, CaseIterable {
    case none
    case confidential = "mat"
    case secret = "toi-mat"
    case topSecret = "tuyet-mat"

    public var label: LocalizedText {
        switch self {
        case .none: LocalizedText(vi: "Thường", en: "Unclassified")
        case .confidential: LocalizedText(vi: "Mật", en: "Confidential")
        case .secret: LocalizedText(vi: "Tối mật", en: "Secret")
        case .topSecret: LocalizedText(vi: "Tuyệt mật", en: "Top secret")
        }
    }
}
