from . import psys_desk_register, psys_rota_autofill, psys_session_cancel
