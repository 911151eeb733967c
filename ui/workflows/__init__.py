"""The seed's working methods in the window: 在管在控, risk assessment, 融调化解, 串并侦查, 110 alerts."""
