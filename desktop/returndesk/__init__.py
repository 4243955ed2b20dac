"""ReturnDesk: customer returns (RMA) from intake to refund, stock and finance."""

__version__ = "0.1.0"
