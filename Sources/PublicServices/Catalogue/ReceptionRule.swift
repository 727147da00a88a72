import EGovCore

/// Where dossiers of a process are received and their results handed back, when they are submitted
/// online (at a counter, the counter's own unit receives). A process option in the pack:
/// `receivedAt: competent` (the deciding commune's one-stop section), `commune` (a commune the
/// applicant picks: inter-level procedures), or a unit code (the province's Service Centre).
enum ReceptionRule: Equatable, Sendable {
    case competent
    case applicantChoosesCommune
    case unit(String)

    static let optionKey = "receivedAt"

    init(_ definition: ProcessDefinition) {
        switch definition.options[Self.optionKey] {
        case nil, "competent": self = .competent
        case "commune": self = .applicantChoosesCommune
        case .some(let code): self = .unit(code)
        }
    }
}

/// Settings of the one-stop-shop from the pack (`settings:` in procedures.yaml).
struct OneStopSettings: Codable, Sendable, Equatable {
    /// The dossier code pattern; the standards' default unless the locality chose another.
    var dossierCode: CodePattern = .dossierDefault
}
