/// The kinds of node in a locality's organisation tree.
public enum UnitType: String, Codable, Sendable, CaseIterable {
    /// UBND tỉnh / thành phố.
    case province
    /// Cấp huyện: gone since 1 July 2025, kept so that three-tier packs and old records still load.
    case district
    /// UBND xã, phường, đặc khu.
    case commune
    /// Sở, ban, ngành.
    case department
    /// Trung tâm Phục vụ hành chính công.
    case serviceCentre
    /// A one-stop counter (quầy / bộ phận một cửa).
    case counter
    /// Phòng chuyên môn inside a department.
    case division

    public var label: LocalizedText {
        switch self {
        case .province: LocalizedText(vi: "UBND tỉnh", en: "Provincial People's Committee")
        case .district: LocalizedText(vi: "UBND huyện", en: "District People's Committee")
        case .commune: LocalizedText(vi: "UBND xã, phường, đặc khu", en: "Commune People's Committee")
        case .department: LocalizedText(vi: "Sở, ban, ngành", en: "Department")
        case .serviceCentre: LocalizedText(vi: "Trung tâm Phục vụ hành chính công", en: "Public Administration Service Centre")
        case .counter: LocalizedText(vi: "Quầy một cửa", en: "One-stop counter")
        case .division: LocalizedText(vi: "Phòng chuyên môn", en: "Division")
        }
    }
}
