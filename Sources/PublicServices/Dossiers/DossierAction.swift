import EGovCore

/// The actions of the one-stop-shop's processes that its code reacts to (notifications, forms, pages,
/// the pack reader), named once.
enum DossierAction {
    static let submit: ActionID = "submit"
    static let receive: ActionID = "receive"
    static let requestSupplement: ActionID = "request-supplement"
    static let supplement: ActionID = "supplement"
    static let assign: ActionID = "assign"
    static let process: ActionID = "process"
    static let approve: ActionID = "approve"
    static let transfer: ActionID = "transfer"
    static let returnResult: ActionID = "return-result"
    static let refuse: ActionID = "refuse"
    static let withdraw: ActionID = "withdraw"
    static let pay: ActionID = "pay"
    static let consult: ActionID = "consult"
    static let answer: ActionID = "answer"

    /// The actions a pack's processes may use.
    static let known: Set<ActionID> = [receive, requestSupplement, supplement, assign, process, approve, transfer, returnResult,
                                       refuse, withdraw, pay, consult, answer]
}
