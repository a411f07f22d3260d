"""Extensions as module globals, bound to an app in create_app()."""

from flask_babel import Babel
from flask_compress import Compress
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_socketio import SocketIO
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    """The models' base: typed `Mapped[...]` attributes (facilitation.models)."""


db = SQLAlchemy(model_class=Base)
socketio = SocketIO()
babel = Babel()
login_manager = LoginManager()
csrf = CSRFProtect()
compress = Compress()
migrate = Migrate()
limiter = Limiter(key_func=get_remote_address, default_limits=[])
