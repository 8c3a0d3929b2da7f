from . import (
    psys_dashboard,
    psys_desk_register,
    psys_rota_autofill,
    psys_session_cancel,
    psys_session_generate,
    psys_shift_replacement_wizard,
)
