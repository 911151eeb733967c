"""The administrator's window (系统管理) and the dialogs every account uses: own password, slips."""
