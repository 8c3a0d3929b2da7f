from . import psys_rota_autofill
from . import psys_session_cancel
from . import psys_desk_register
